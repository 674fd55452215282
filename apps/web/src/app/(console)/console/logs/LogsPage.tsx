'use client';

import { useState, type FormEvent } from 'react';
import { LogType, Role, type AdminLogView, type LogStatView, type Page } from '@your-api/contracts';
import { Pager } from '@/components/ui/Pager';
import { useConsoleUser } from '@/lib/console-user';
import { formatQuota, formatUnixTime } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';
import { useApi } from '@/lib/use-api';
import styles from '../../console.module.css';
import { usePaging } from '@/lib/use-paging';

interface Filters {
  start: string;
  end: string;
  model_name: string;
  token_name: string;
  username: string;
  channel: string;
  type: number;
}

const EMPTY: Filters = { start: '', end: '', model_name: '', token_name: '', username: '', channel: '', type: 0 };

const toUnix = (local: string): number | undefined => (local ? Math.floor(new Date(local).getTime() / 1000) : undefined);

function typeBadge(type: number): string {
  if (type === LogType.Consume) return 'badge badge-ok';
  if (type === LogType.Error) return 'badge badge-off';
  if (type === LogType.Topup || type === LogType.Refund) return 'badge badge-warn';
  return 'badge';
}

/** The user's own logs (/api/log/self) or, for admins, everyone's (/api/log/), with filters and paging. */
export function LogsPage() {
  const { m, locale } = useI18n();
  const status = useSiteStatus();
  const { user } = useConsoleUser();
  const isAdmin = user.role >= Role.Admin;
  const [scope, setScope] = useState<'all' | 'self'>(isAdmin ? 'all' : 'self');
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const { page, setPage, pageSize, pagerProps } = usePaging(10);
  const [openRow, setOpenRow] = useState<number | null>(null);

  const base = scope === 'all' ? '/api/log/' : '/api/log/self';
  const query = {
    type: filters.type || undefined,
    start_timestamp: toUnix(filters.start),
    end_timestamp: toUnix(filters.end),
    model_name: filters.model_name || undefined,
    token_name: filters.token_name || undefined,
    username: scope === 'all' ? filters.username || undefined : undefined,
    channel: scope === 'all' && filters.channel ? Number(filters.channel) : undefined,
  };
  const list = useApi<Page<AdminLogView>>(base, { ...query, p: page, page_size: pageSize });
  const stat = useApi<LogStatView>(scope === 'all' ? '/api/log/stat' : '/api/log/self/stat', query);

  function apply(e: FormEvent) {
    e.preventDefault();
    setPage(1);
    setFilters(draft);
    // Same filters again means "refresh": new logs may have been written since.
    list.reload();
    stat.reload();
  }

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const items = list.data?.items ?? [];
  const columns = scope === 'all' ? 12 : 10;

  return (
    <section>
      <div className={styles.pageHead}>
        <h1 className={styles.heading}>{m.logs.title}</h1>
        {isAdmin ? (
          <select className="input input-sm" value={scope} aria-label={m.logs.title} onChange={(e) => setScope(e.target.value as 'all' | 'self')}>
            <option value="all">{m.logs.everyone}</option>
            <option value="self">{m.logs.mine}</option>
          </select>
        ) : null}
      </div>
      <form className="toolbar" onSubmit={apply} data-testid="log-filters">
        <div className="field">
          <label htmlFor="log-start">{m.logs.start}</label>
          <input id="log-start" type="datetime-local" className="input" value={draft.start} onChange={(e) => set('start', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="log-end">{m.logs.end}</label>
          <input id="log-end" type="datetime-local" className="input" value={draft.end} onChange={(e) => set('end', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="log-model">{m.logs.model}</label>
          <input id="log-model" className="input" value={draft.model_name} onChange={(e) => set('model_name', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="log-token">{m.logs.tokenName}</label>
          <input id="log-token" className="input" value={draft.token_name} onChange={(e) => set('token_name', e.target.value)} />
        </div>
        {scope === 'all' ? (
          <>
            <div className="field">
              <label htmlFor="log-user">{m.logs.username}</label>
              <input id="log-user" className="input" value={draft.username} onChange={(e) => set('username', e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="log-channel">{m.logs.channel}</label>
              <input id="log-channel" className="input" inputMode="numeric" value={draft.channel} onChange={(e) => set('channel', e.target.value.replace(/\D/g, ''))} />
            </div>
          </>
        ) : null}
        <div className="field">
          <label htmlFor="log-type">{m.logs.type}</label>
          <select id="log-type" className="input" value={draft.type} onChange={(e) => set('type', Number(e.target.value))}>
            {Object.entries(m.logs.types).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary">
          {m.logs.apply}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setDraft(EMPTY);
            setFilters(EMPTY);
            setPage(1);
          }}
        >
          {m.ui.reset}
        </button>
      </form>
      {stat.data ? (
        <p className="muted" data-testid="log-stat">
          {format(m.logs.statQuota, { quota: formatQuota(stat.data.quota, status) })} · RPM {stat.data.rpm} · TPM {stat.data.tpm}
        </p>
      ) : null}
      {list.error ? <p className="alert">{list.error}</p> : null}
      <div className="table-wrap">
        <table className="table" data-testid="logs-table">
          <thead>
            <tr>
              <th>{m.logs.time}</th>
              {scope === 'all' ? <th>{m.logs.channel}</th> : null}
              {scope === 'all' ? <th>{m.logs.username}</th> : null}
              <th>{m.logs.tokenName}</th>
              <th>{m.logs.type}</th>
              <th>{m.logs.model}</th>
              <th className="num">{m.logs.useTime}</th>
              <th>{m.logs.stream}</th>
              <th className="num">{m.logs.prompt}</th>
              <th className="num">{m.logs.completion}</th>
              <th className="num">{m.logs.quota}</th>
              <th>{m.logs.detail}</th>
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
            {items.flatMap((log) => {
              const rows = [
                <tr key={log.id} data-testid="log-row" data-log-type={log.type} data-model={log.model_name}>
                  <td>{formatUnixTime(log.created_at, locale)}</td>
                  {scope === 'all' ? <td>{log.channel ? `#${log.channel}${log.channel_name ? ` ${log.channel_name}` : ''}` : '—'}</td> : null}
                  {scope === 'all' ? <td>{log.username}</td> : null}
                  <td>{log.token_name || '—'}</td>
                  <td>
                    <span className={typeBadge(log.type)}>{m.logs.types[log.type] ?? log.type}</span>
                  </td>
                  <td className="mono">{log.model_name || '—'}</td>
                  <td className="num">{log.use_time ? `${log.use_time}s` : '—'}</td>
                  <td>{log.type === LogType.Consume ? (log.is_stream ? m.ui.yes : m.ui.no) : '—'}</td>
                  <td className="num">{log.prompt_tokens}</td>
                  <td className="num">{log.completion_tokens}</td>
                  <td className="num" data-testid="log-quota">
                    {formatQuota(log.quota, status)}
                  </td>
                  <td>
                    <button type="button" className="btn btn-sm" aria-expanded={openRow === log.id} onClick={() => setOpenRow(openRow === log.id ? null : log.id)}>
                      {openRow === log.id ? m.ui.hide : m.ui.show}
                    </button>
                  </td>
                </tr>,
              ];
              if (openRow === log.id) {
                rows.push(
                  <tr key={`${log.id}-detail`}>
                    <td colSpan={columns} className="wrap">
                      <p style={{ margin: '0 0 6px' }}>{log.content}</p>
                      {log.other ? <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{prettyJson(log.other)}</pre> : null}
                    </td>
                  </tr>,
                );
              }
              return rows;
            })}
          </tbody>
        </table>
      </div>
      <Pager {...pagerProps(list.data?.total ?? 0)} />
    </section>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
