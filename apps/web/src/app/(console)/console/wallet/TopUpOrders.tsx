'use client';

import { useEffect, useState } from 'react';
import type { Page, TopUpView } from '@your-api/contracts';
import { ConfirmButton } from '@/components/ui/ConfirmButton';
import { Pager } from '@/components/ui/Pager';
import { api } from '@/lib/api-client';
import { formatUnixTime } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { statusBadge } from '@/lib/top-up';
import { useApi } from '@/lib/use-api';
import { usePaging } from '@/lib/use-paging';
import { SearchToolbar } from '@/components/ui/SearchToolbar';

/**
 * Top-up orders, newest first: the caller's own (`scope="self"`, GET /api/user/topup/self) or, for
 * admins, everyone's (GET /api/user/topup) with a search by order number and manual completion of
 * pending orders (POST /api/user/topup/complete).
 */
export function TopUpOrders({ scope, version = 0 }: { scope: 'self' | 'all'; version?: number }) {
  const { m, locale } = useI18n();
  const t = m.topUpOnline;
  const { page, setPage, pageSize, pagerProps } = usePaging(10);
  const [search, setSearch] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const admin = scope === 'all';
  const list = useApi<Page<TopUpView>>(admin ? '/api/user/topup' : '/api/user/topup/self', {
    p: page,
    page_size: pageSize,
    keyword: search || undefined,
  });
  const { reload } = list;
  // A new order or a payment elsewhere on the page: read the list again.
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);

  async function complete(order: TopUpView) {
    const res = await api.post<TopUpView>('/api/user/topup/complete', { trade_no: order.trade_no });
    setMessage(res.success ? { ok: true, text: format(t.completeDone, { tradeNo: order.trade_no }) } : { ok: false, text: res.message });
    list.reload();
  }

  const items = list.data?.items ?? [];
  const error = message && !message.ok ? message.text : list.error;
  const columns = admin ? 9 : 7;
  return (
    <div>
      {admin ? (
        <SearchToolbar
          id="topup-search"
          label={t.search}
          testId="topup-search-submit"
          mono
          onSearch={(keyword) => {
            setPage(1);
            setSearch(keyword);
          }}
        />
      ) : null}
      {message?.ok ? (
        <p className="notice" role="status">
          {message.text}
        </p>
      ) : null}
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table" data-testid={admin ? 'topups-table' : 'my-topups-table'}>
          <thead>
            <tr>
              <th>{t.tradeNo}</th>
              {admin ? <th>{t.user}</th> : null}
              <th>{t.method}</th>
              <th className="num">{t.amount}</th>
              <th className="num">{t.money}</th>
              <th>{m.ui.status}</th>
              <th>{t.created}</th>
              <th>{t.completed}</th>
              {admin ? <th>{m.ui.actions}</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={columns} className="muted">
                  {list.loading ? m.common.loading : m.ui.noData}
                </td>
              </tr>
            ) : null}
            {items.map((order) => (
              <tr key={order.id} data-testid="topup-row" data-trade-no={order.trade_no} data-status={order.status}>
                <td className="soft-wrap">
                  <code className="mono">{order.trade_no}</code>
                </td>
                {admin ? <td>#{order.user_id}</td> : null}
                <td>{order.payment_method || order.payment_provider || '—'}</td>
                <td className="num">{order.amount}</td>
                <td className="num">{order.money.toFixed(2)}</td>
                <td>
                  <span className={statusBadge(order.status)} data-testid="topup-status">
                    {t.statuses[order.status] ?? order.status}
                  </span>
                </td>
                <td className="soft-wrap">{formatUnixTime(order.create_time, locale)}</td>
                <td className="soft-wrap">{order.complete_time ? formatUnixTime(order.complete_time, locale) : '—'}</td>
                {admin ? (
                  <td>
                    {order.status === 'pending' ? (
                      <ConfirmButton
                        label={t.complete}
                        confirmLabel={t.complete}
                        className="btn btn-sm"
                        message={format(t.completeConfirm, { tradeNo: order.trade_no, user: order.user_id })}
                        onConfirm={() => complete(order)}
                        testId="topup-complete"
                      />
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager {...pagerProps(list.data?.total ?? 0)} />
    </div>
  );
}
