'use client';

import { useState } from 'react';
import { TokenStatus, type Page, type TokenView, type UsableGroupView } from '@your-api/contracts';
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
import { TokenDialog } from './TokenDialog';
import { usePaging } from '@/lib/use-paging';

/** `sk-abcd…wxyz`: enough to tell keys apart without showing them. */
export function maskKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 7)}…${key.slice(-4)}` : key;
}

function statusBadge(status: number): string {
  return status === TokenStatus.Enabled ? 'badge badge-ok' : status === TokenStatus.Disabled ? 'badge badge-off' : 'badge badge-warn';
}

/** The caller's API keys: list, create/edit, enable/disable, delete, reveal and copy. */
export function TokensPage() {
  const { m, locale } = useI18n();
  const status = useSiteStatus();
  const { page, setPage, pageSize, pagerProps } = usePaging(10);
  const [keyword, setKeyword] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<TokenView | 'new' | null>(null);
  const [revealed, setRevealed] = useState<Set<number>>(new Set());
  const [error, setError] = useState<string | null>(null);

  const list = useApi<Page<TokenView>>(search ? '/api/token/search' : '/api/token/', { p: page, page_size: pageSize, keyword: search || undefined });
  const groups = useApi<Record<string, UsableGroupView>>('/api/user/self/groups');
  const models = useApi<string[]>('/api/user/models');

  async function setTokenStatus(token: TokenView, next: TokenStatus) {
    const res = await api.put('/api/token/', { id: token.id, status: next }, { query: { status_only: true } });
    if (!res.success) setError(res.message);
    list.reload();
  }

  async function remove(token: TokenView) {
    const res = await api.del(`/api/token/${token.id}`);
    if (!res.success) setError(res.message);
    list.reload();
  }

  const items = list.data?.items ?? [];
  return (
    <section>
      <div className={styles.pageHead}>
        <div>
          <h1 className={styles.heading}>{m.tokens.title}</h1>
          <p className="muted" style={{ margin: 0 }}>
            {m.tokens.subtitle}
          </p>
        </div>
        <button type="button" className="btn btn-primary" data-testid="token-create" onClick={() => setEditing('new')}>
          {m.tokens.create}
        </button>
      </div>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setSearch(keyword.trim());
        }}
      >
        <div className="field">
          <label htmlFor="token-search">{m.ui.search}</label>
          <input id="token-search" className="input" value={keyword} onChange={(e) => setKeyword(e.target.value)} />
        </div>
        <button type="submit" className="btn">
          {m.ui.search}
        </button>
      </form>
      {error || list.error ? (
        <p className="alert" role="alert">
          {error || list.error}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table" data-testid="tokens-table">
          <thead>
            <tr>
              <th>{m.tokens.name}</th>
              <th>{m.ui.status}</th>
              <th>{m.tokens.key}</th>
              <th className="num">{m.tokens.used}</th>
              <th className="num">{m.tokens.remain}</th>
              <th>{m.tokens.group}</th>
              <th>{m.tokens.created}</th>
              <th>{m.tokens.expires}</th>
              <th>{m.ui.actions}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={9} className="muted">
                  {list.loading ? m.common.loading : m.ui.noData}
                </td>
              </tr>
            ) : null}
            {items.map((token) => {
              const shown = revealed.has(token.id);
              return (
                <tr key={token.id} data-testid="token-row" data-token-name={token.name}>
                  <td>{token.name}</td>
                  <td>
                    <span className={statusBadge(token.status)}>{m.tokens.statuses[token.status] ?? token.status}</span>
                  </td>
                  <td>
                    <div className="row-actions">
                      <code className={shown ? 'mono key-full' : 'mono'} data-testid="token-key">
                        {shown ? token.key : maskKey(token.key)}
                      </code>
                      <button
                        type="button"
                        className="btn btn-sm"
                        data-testid="token-reveal"
                        onClick={() =>
                          setRevealed((prev) => {
                            const next = new Set(prev);
                            if (next.has(token.id)) next.delete(token.id);
                            else next.add(token.id);
                            return next;
                          })
                        }
                      >
                        {shown ? m.ui.hide : m.ui.show}
                      </button>
                      <CopyButton text={token.key} label={m.tokens.copyKey} testId="token-copy" />
                    </div>
                  </td>
                  <td className="num">{formatQuota(token.used_quota, status)}</td>
                  <td className="num">{token.unlimited_quota ? m.ui.unlimited : formatQuota(token.remain_quota, status)}</td>
                  <td>{token.group || m.tokens.groupDefault}</td>
                  <td className="soft-wrap">{formatUnixTime(token.created_time, locale)}</td>
                  <td className="soft-wrap">{token.expired_time === -1 ? m.ui.never : formatUnixTime(token.expired_time, locale)}</td>
                  <td>
                    <div className="row-actions">
                      <button type="button" className="btn btn-sm" onClick={() => setEditing(token)}>
                        {m.ui.edit}
                      </button>
                      {token.status === TokenStatus.Enabled ? (
                        <button
                          type="button"
                          className="btn btn-sm btn-icon"
                          title={m.ui.disable}
                          aria-label={m.ui.disable}
                          onClick={() => void setTokenStatus(token, TokenStatus.Disabled)}
                        >
                          <PauseIcon />
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="btn btn-sm btn-icon"
                          title={m.ui.enable}
                          aria-label={m.ui.enable}
                          onClick={() => void setTokenStatus(token, TokenStatus.Enabled)}
                        >
                          <PlayIcon />
                        </button>
                      )}
                      <ConfirmButton
                        label={<TrashIcon />}
                        title={m.ui.delete}
                        className="btn btn-sm btn-danger btn-icon"
                        message={format(m.tokens.deleteConfirm, { name: token.name })}
                        onConfirm={() => remove(token)}
                      />
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pager {...pagerProps(list.data?.total ?? 0)} />
      {editing ? (
        <TokenDialog
          token={editing === 'new' ? null : editing}
          groups={groups.data ?? {}}
          models={models.data ?? []}
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
