'use client';

import { useState, type FormEvent } from 'react';
import { CHANNEL_TYPE_NAMES, ChannelStatus, type ChannelDetailView, type Page } from '@your-api/contracts';
import { ConfirmButton } from '@/components/ui/ConfirmButton';
import { Pager } from '@/components/ui/Pager';
import { api } from '@/lib/api-client';
import { formatQuota } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';
import { useApi } from '@/lib/use-api';
import styles from '../../console.module.css';
import { ChannelDialog } from './ChannelDialog';

function statusClass(status: number): string {
  return status === ChannelStatus.Enabled ? 'badge badge-ok' : status === ChannelStatus.AutoDisabled ? 'badge badge-warn' : 'badge badge-off';
}

/** Admin: upstream channels with create/edit, enable/disable and delete. */
export function ChannelsPage() {
  const { m } = useI18n();
  const status = useSiteStatus();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [keyword, setKeyword] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const list = useApi<Page<ChannelDetailView>>(search ? '/api/channel/search' : '/api/channel/', {
    p: page,
    page_size: pageSize,
    keyword: search || undefined,
    id_sort: true,
  });

  async function setChannelStatus(channel: ChannelDetailView, next: ChannelStatus) {
    const res = await api.put('/api/channel/', { id: channel.id, status: next });
    setError(res.success ? null : res.message);
    list.reload();
  }

  async function remove(channel: ChannelDetailView) {
    const res = await api.del(`/api/channel/${channel.id}`);
    setError(res.success ? null : res.message);
    list.reload();
  }

  function onSearch(e: FormEvent) {
    e.preventDefault();
    setPage(1);
    setSearch(keyword.trim());
  }

  const items = list.data?.items ?? [];
  return (
    <section>
      <div className={styles.pageHead}>
        <div>
          <h1 className={styles.heading}>{m.channels.title}</h1>
          <p className="muted" style={{ margin: 0 }}>
            {m.channels.subtitle}
          </p>
        </div>
        <button type="button" className="btn btn-primary" data-testid="channel-create" onClick={() => setEditing('new')}>
          {m.channels.create}
        </button>
      </div>
      <form className="toolbar" onSubmit={onSearch}>
        <div className="field">
          <label htmlFor="channel-search">{m.ui.search}</label>
          <input id="channel-search" className="input" value={keyword} onChange={(e) => setKeyword(e.target.value)} />
        </div>
        <button type="submit" className="btn">
          {m.ui.search}
        </button>
        <button type="button" className="btn" onClick={() => list.reload()}>
          {m.ui.refresh}
        </button>
      </form>
      {error || list.error ? (
        <p className="alert" role="alert">
          {error || list.error}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table" data-testid="channels-table">
          <thead>
            <tr>
              <th>ID</th>
              <th>{m.channels.name}</th>
              <th>{m.channels.type}</th>
              <th>{m.ui.status}</th>
              <th>{m.channels.groups}</th>
              <th>{m.channels.models}</th>
              <th className="num">{m.channels.responseTime}</th>
              <th className="num">{m.tokens.used}</th>
              <th className="num">{m.channels.priority}</th>
              <th className="num">{m.channels.weight}</th>
              <th>{m.ui.actions}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={11} className="muted">
                  {list.loading ? m.common.loading : m.ui.noData}
                </td>
              </tr>
            ) : null}
            {items.map((channel) => (
              <tr key={channel.id} data-testid="channel-row" data-channel-name={channel.name}>
                <td>{channel.id}</td>
                <td>
                  {channel.name}
                  {channel.channel_info?.is_multi_key ? <span className="badge" style={{ marginLeft: 6 }}>×{channel.channel_info.multi_key_size}</span> : null}
                  {channel.tag ? <span className="badge" style={{ marginLeft: 6 }}>{channel.tag}</span> : null}
                </td>
                <td>{CHANNEL_TYPE_NAMES[channel.type] ?? channel.type}</td>
                <td>
                  <span className={statusClass(channel.status)} data-testid="channel-status">
                    {m.channels.statuses[channel.status] ?? channel.status}
                  </span>
                </td>
                <td>{channel.group}</td>
                <td className="wrap mono" style={{ maxWidth: 280 }}>
                  {channel.models}
                </td>
                <td className="num">{channel.response_time ? `${(channel.response_time / 1000).toFixed(2)}s` : '—'}</td>
                <td className="num">{formatQuota(channel.used_quota, status)}</td>
                <td className="num">{channel.priority}</td>
                <td className="num">{channel.weight}</td>
                <td>
                  <div className="row-actions">
                    <button type="button" className="btn btn-sm" data-testid="channel-edit" onClick={() => setEditing(channel.id)}>
                      {m.ui.edit}
                    </button>
                    {channel.status === ChannelStatus.Enabled ? (
                      <button type="button" className="btn btn-sm" data-testid="channel-disable" onClick={() => void setChannelStatus(channel, ChannelStatus.ManuallyDisabled)}>
                        {m.ui.disable}
                      </button>
                    ) : (
                      <button type="button" className="btn btn-sm" data-testid="channel-enable" onClick={() => void setChannelStatus(channel, ChannelStatus.Enabled)}>
                        {m.ui.enable}
                      </button>
                    )}
                    <ConfirmButton label={m.ui.delete} message={format(m.channels.deleteConfirm, { name: channel.name })} onConfirm={() => remove(channel)} testId="channel-delete" />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        page={page}
        pageSize={pageSize}
        total={list.data?.total ?? 0}
        onPage={setPage}
        onPageSize={(size) => {
          setPageSize(size);
          setPage(1);
        }}
      />
      {editing !== null ? (
        <ChannelDialog
          channelId={editing === 'new' ? null : editing}
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
