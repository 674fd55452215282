'use client';

import { useState } from 'react';
import { RedemptionStatus, type Page, type RedemptionView } from '@your-api/contracts';
import { ConfirmButton } from '@/components/ui/ConfirmButton';
import { PauseIcon, PlayIcon, TrashIcon } from '@/components/ui/icons';
import { CopyButton } from '@/components/ui/CopyButton';
import { Pager } from '@/components/ui/Pager';
import { api } from '@/lib/api-client';
import { formatQuota, formatUnixTime } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';
import { useApi } from '@/lib/use-api';
import styles from '../../console.module.css';
import { RedemptionDialog } from './RedemptionDialog';
import { usePaging } from '@/lib/use-paging';
import { SearchToolbar } from '@/components/ui/SearchToolbar';

/** `1a2b3c4d…9z8y`: enough to tell codes apart in the table; the copy button copies the whole code. */
function maskCode(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}…${key.slice(-4)}` : key;
}

/** Enabled codes past their expiry count as expired (the API refuses them). */
function isExpired(code: RedemptionView): boolean {
  return code.status === RedemptionStatus.Enabled && code.expired_time !== 0 && code.expired_time <= Date.now() / 1000;
}

function badgeClass(code: RedemptionView): string {
  if (isExpired(code)) return 'badge badge-warn';
  if (code.status === RedemptionStatus.Enabled) return 'badge badge-ok';
  if (code.status === RedemptionStatus.Used) return 'badge badge-warn';
  return 'badge badge-off';
}

/** Admin: list and search redemption codes, create batches, edit, enable/disable, delete, clear out spent ones. */
export function RedemptionsPage() {
  const { m, locale } = useI18n();
  const t = m.redemptions;
  const status = useSiteStatus();
  const { page, setPage, pageSize, pagerProps } = usePaging(10);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<RedemptionView | 'new' | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const list = useApi<Page<RedemptionView>>(search ? '/api/redemption/search' : '/api/redemption/', { p: page, page_size: pageSize, keyword: search || undefined });

  async function setCodeStatus(code: RedemptionView, next: RedemptionStatus) {
    const res = await api.put('/api/redemption/', { id: code.id, status: next }, { query: { status_only: true } });
    setMessage(res.success ? null : { ok: false, text: res.message });
    list.reload();
  }

  async function remove(code: RedemptionView) {
    const res = await api.del(`/api/redemption/${code.id}`);
    setMessage(res.success ? null : { ok: false, text: res.message });
    list.reload();
  }

  async function removeInvalid() {
    const res = await api.del<number>('/api/redemption/invalid');
    setMessage(res.success ? { ok: true, text: format(t.deletedInvalid, { count: res.data ?? 0 }) } : { ok: false, text: res.message });
    setPage(1);
    list.reload();
  }

  const items = list.data?.items ?? [];
  const error = message && !message.ok ? message.text : list.error;
  return (
    <section>
      <div className={styles.pageHead}>
        <div>
          <h1 className={styles.heading}>{t.title}</h1>
          <p className="muted" style={{ margin: 0 }}>
            {t.subtitle}
          </p>
        </div>
        <div className="row-actions" style={{ flexWrap: 'wrap' }}>
          <ConfirmButton
            label={t.deleteInvalid}
            message={t.deleteInvalidConfirm}
            onConfirm={removeInvalid}
            className="btn btn-danger"
            testId="redemption-delete-invalid"
          />
          <button type="button" className="btn btn-primary" data-testid="redemption-create" onClick={() => setEditing('new')}>
            {t.create}
          </button>
        </div>
      </div>
      <SearchToolbar
        id="redemption-search"
        label={t.search}
        testId="redemption-search-submit"
        onSearch={(keyword) => {
          setPage(1);
          setSearch(keyword);
        }}
      />
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
        <table className="table" data-testid="redemptions-table">
          <thead>
            <tr>
              <th>ID</th>
              <th>{t.name}</th>
              <th>{m.ui.status}</th>
              <th>{t.key}</th>
              <th className="num">{t.quota}</th>
              <th>{t.expires}</th>
              <th>{t.redeemedBy}</th>
              <th>{m.ui.actions}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={8} className="muted">
                  {list.loading ? m.common.loading : m.ui.noData}
                </td>
              </tr>
            ) : null}
            {items.map((code) => (
              <tr key={code.id} data-testid="redemption-row" data-redemption-id={code.id} data-name={code.name} data-status={code.status}>
                <td>{code.id}</td>
                <td title={`${t.created}: ${formatUnixTime(code.created_time, locale)}`}>{code.name}</td>
                <td>
                  <span className={badgeClass(code)} data-testid="redemption-status">
                    {isExpired(code) ? t.expiredBadge : (t.statuses[code.status] ?? code.status)}
                  </span>
                </td>
                <td>
                  <div className="row-actions">
                    <code className="mono" title={code.key}>
                      {maskCode(code.key)}
                    </code>
                    <CopyButton text={code.key} testId="redemption-copy" />
                  </div>
                </td>
                <td className="num">{formatQuota(code.quota, status)}</td>
                <td className="soft-wrap">{code.expired_time === 0 ? m.ui.never : formatUnixTime(code.expired_time, locale)}</td>
                <td>
                  {code.status === RedemptionStatus.Used ? (
                    <span>
                      #{code.used_user_id}
                      <br />
                      <span className="muted">{formatUnixTime(code.redeemed_time, locale)}</span>
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <div className="row-actions">
                    <button type="button" className="btn btn-sm" onClick={() => setEditing(code)}>
                      {m.ui.edit}
                    </button>
                    {code.status === RedemptionStatus.Enabled ? (
                      <button
                        type="button"
                        className="btn btn-sm btn-icon"
                        title={m.ui.disable}
                        aria-label={m.ui.disable}
                        data-testid="redemption-disable"
                        onClick={() => void setCodeStatus(code, RedemptionStatus.Disabled)}
                      >
                        <PauseIcon />
                      </button>
                    ) : null}
                    {code.status === RedemptionStatus.Disabled ? (
                      <button
                        type="button"
                        className="btn btn-sm btn-icon"
                        title={m.ui.enable}
                        aria-label={m.ui.enable}
                        data-testid="redemption-enable"
                        onClick={() => void setCodeStatus(code, RedemptionStatus.Enabled)}
                      >
                        <PlayIcon />
                      </button>
                    ) : null}
                    <ConfirmButton
                      label={<TrashIcon />}
                      title={m.ui.delete}
                      className="btn btn-sm btn-danger btn-icon"
                      message={format(t.deleteConfirm, { name: code.name, id: code.id })}
                      onConfirm={() => remove(code)}
                      testId="redemption-delete"
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager {...pagerProps(list.data?.total ?? 0)} />
      {editing ? (
        <RedemptionDialog
          code={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      ) : null}
    </section>
  );
}
