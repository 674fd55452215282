'use client';

import { useState, type FormEvent } from 'react';
import { CHANNEL_TYPE_NAMES, ChannelStatus, type ChannelDetailView, type Page } from '@your-api/contracts';
import { ConfirmButton } from '@/components/ui/ConfirmButton';
import { PauseIcon, PlayIcon, TrashIcon } from '@/components/ui/icons';
import { Pager } from '@/components/ui/Pager';
import { api } from '@/lib/api-client';
import { formatQuota, formatUnixTime, formatUsdAmount } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';
import { useApi } from '@/lib/use-api';
import styles from '../../console.module.css';
import { ChannelDialog } from './ChannelDialog';
import { usePaging } from '@/lib/use-paging';

function statusClass(status: number): string {
  return status === ChannelStatus.Enabled ? 'badge badge-ok' : status === ChannelStatus.AutoDisabled ? 'badge badge-warn' : 'badge badge-off';
}

/** The outcome of a row's Test or balance Update click, shown in its row until the next click. */
type RowCheck = { state: 'pending' } | { state: 'ok' | 'failed'; text: string };

/**
 * Admin: upstream channels with create/edit, enable/disable and delete, one by one or for the
 * selected rows, a tag filter with the tag's own operations (rename, priority, weight, enable or
 * disable all), the key-selection mode of multi-key channels, channel tests (one, or all in the
 * background) with their response time, and upstream balances.
 */
export function ChannelsPage() {
  const { m, locale } = useI18n();
  const status = useSiteStatus();
  const { page, setPage, pageSize, pagerProps } = usePaging(20);
  const [keyword, setKeyword] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tagInput, setTagInput] = useState('');
  const [tag, setTag] = useState('');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [batchTag, setBatchTag] = useState('');
  const [tagEdit, setTagEdit] = useState({ newTag: '', priority: '', weight: '' });
  const [tests, setTests] = useState<Record<number, RowCheck>>({});
  const [balanceChecks, setBalanceChecks] = useState<Record<number, RowCheck>>({});

  const list = useApi<Page<ChannelDetailView>>(search ? '/api/channel/search' : '/api/channel/', {
    p: page,
    page_size: pageSize,
    keyword: search || undefined,
    tag: tag || undefined,
    id_sort: true,
  });
  const items = list.data?.items ?? [];
  // Only rows on the current page can be selected: a reload or page change drops the others.
  const chosen = items.filter((c) => selected.has(c.id)).map((c) => c.id);
  const allChosen = items.length > 0 && chosen.length === items.length;

  function toggle(id: number, on: boolean) {
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function after(ok: boolean, message: string, done?: string) {
    setError(ok ? null : message);
    setNotice(ok && done ? done : null);
    if (ok) setSelected(new Set());
    list.reload();
  }

  /** There is no batch status route in the API: each selected channel gets its own PUT. */
  async function setSelectedStatus(next: ChannelStatus) {
    const results = await Promise.all(chosen.map((id) => api.put('/api/channel/', { id, status: next })));
    const failed = results.find((res) => !res.success);
    after(!failed, failed?.message ?? '');
  }

  async function removeSelected() {
    const res = await api.post('/api/channel/batch', { ids: chosen });
    after(res.success, res.message);
  }

  async function tagSelected() {
    const res = await api.post('/api/channel/batch/tag', { ids: chosen, tag: batchTag.trim() || null });
    after(res.success, res.message);
  }

  async function setTagStatus(enabled: boolean) {
    const res = await api.post<number>(`/api/channel/tag/${enabled ? 'enabled' : 'disabled'}`, { tag });
    after(res.success, res.message, format(m.channelsMore.tagSaved, { count: res.data ?? 0 }));
  }

  async function saveTag(e: FormEvent) {
    e.preventDefault();
    const body: Record<string, unknown> = { tag };
    if (tagEdit.newTag.trim()) body.new_tag = tagEdit.newTag.trim();
    if (tagEdit.priority.trim()) body.priority = Number(tagEdit.priority);
    if (tagEdit.weight.trim()) body.weight = Number(tagEdit.weight);
    const res = await api.put<number>('/api/channel/tag', body);
    after(res.success, res.message, format(m.channelsMore.tagSaved, { count: res.data ?? 0 }));
    if (res.success && typeof body.new_tag === 'string') {
      setTag(body.new_tag);
      setTagInput(body.new_tag);
    }
    if (res.success) setTagEdit({ newTag: '', priority: '', weight: '' });
  }

  async function setChannelStatus(channel: ChannelDetailView, next: ChannelStatus) {
    const res = await api.put('/api/channel/', { id: channel.id, status: next });
    setError(res.success ? null : res.message);
    list.reload();
  }

  /** GET /api/channel/test/:id answers New API's `{success, message, time}` (seconds). */
  async function testChannel(channel: ChannelDetailView) {
    setTests((prev) => ({ ...prev, [channel.id]: { state: 'pending' } }));
    const res = await api.get<unknown, { time: number }>(`/api/channel/test/${channel.id}`);
    const check: RowCheck = res.success
      ? { state: 'ok', text: format(m.channelsMore.testPassed, { time: (res.time ?? 0).toFixed(2) }) }
      : { state: 'failed', text: res.message || m.channelsMore.testFailed };
    setTests((prev) => ({ ...prev, [channel.id]: check }));
    list.reload();
  }

  async function updateBalance(channel: ChannelDetailView) {
    setBalanceChecks((prev) => ({ ...prev, [channel.id]: { state: 'pending' } }));
    const res = await api.get(`/api/channel/update_balance/${channel.id}`);
    setBalanceChecks((prev) => ({ ...prev, [channel.id]: res.success ? { state: 'ok', text: '' } : { state: 'failed', text: res.message } }));
    list.reload();
  }

  /** Test-all and update-all run in the API's background: the table shows their results on refresh. */
  async function startInBackground(path: string, started: string) {
    const res = await api.get(path);
    setError(res.success ? null : res.message);
    setNotice(res.success ? started : null);
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
    setTag(tagInput.trim());
  }

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
        <div className="field">
          <label htmlFor="channel-tag-filter">{m.channelsMore.tagFilter}</label>
          <input id="channel-tag-filter" className="input" placeholder={m.channelsMore.tagFilterAll} value={tagInput} onChange={(e) => setTagInput(e.target.value)} />
        </div>
        <button type="submit" className="btn">
          {m.ui.search}
        </button>
        <button type="button" className="btn" onClick={() => list.reload()}>
          {m.ui.refresh}
        </button>
      </form>
      <div className="toolbar" data-testid="channel-health-tools">
        <button type="button" className="btn btn-sm" data-testid="channel-test-all" onClick={() => void startInBackground('/api/channel/test', m.channelsMore.testAllStarted)}>
          {m.channelsMore.testAll}
        </button>
        <button type="button" className="btn btn-sm" data-testid="channel-balance-all" onClick={() => void startInBackground('/api/channel/update_balance', m.channelsMore.balanceAllStarted)}>
          {m.channelsMore.updateAllBalances}
        </button>
        <span className="muted" style={{ alignSelf: 'center' }}>
          {m.channelsMore.healthHint}
        </span>
      </div>
      {tag ? (
        <form className="toolbar card" onSubmit={saveTag} data-testid="tag-tools">
          <strong style={{ alignSelf: 'center' }}>{format(m.channelsMore.tagTools, { tag })}</strong>
          <div className="field">
            <label htmlFor="tag-new-name">{m.channelsMore.newTag}</label>
            <input id="tag-new-name" className="input input-sm" value={tagEdit.newTag} onChange={(e) => setTagEdit({ ...tagEdit, newTag: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="tag-priority">{m.channels.priority}</label>
            <input id="tag-priority" type="number" className="input input-sm" value={tagEdit.priority} onChange={(e) => setTagEdit({ ...tagEdit, priority: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="tag-weight">{m.channels.weight}</label>
            <input id="tag-weight" type="number" min={0} className="input input-sm" value={tagEdit.weight} onChange={(e) => setTagEdit({ ...tagEdit, weight: e.target.value })} />
          </div>
          <button type="submit" className="btn btn-sm btn-primary" data-testid="tag-save">
            {m.channelsMore.saveTag}
          </button>
          <button type="button" className="btn btn-sm" data-testid="tag-enable" onClick={() => void setTagStatus(true)}>
            {m.channelsMore.enableTag}
          </button>
          <button type="button" className="btn btn-sm" data-testid="tag-disable" onClick={() => void setTagStatus(false)}>
            {m.channelsMore.disableTag}
          </button>
        </form>
      ) : null}
      {chosen.length ? (
        <div className="toolbar" data-testid="batch-bar">
          <strong style={{ alignSelf: 'center' }}>{format(m.channelsMore.selected, { count: chosen.length })}</strong>
          <button type="button" className="btn btn-sm" data-testid="batch-enable" onClick={() => void setSelectedStatus(ChannelStatus.Enabled)}>
            {m.channelsMore.enableSelected}
          </button>
          <button type="button" className="btn btn-sm" data-testid="batch-disable" onClick={() => void setSelectedStatus(ChannelStatus.ManuallyDisabled)}>
            {m.channelsMore.disableSelected}
          </button>
          <ConfirmButton
            label={m.channelsMore.deleteSelected}
            message={format(m.channelsMore.deleteSelectedConfirm, { count: chosen.length })}
            onConfirm={removeSelected}
            testId="batch-delete"
          />
          <input
            className="input input-sm"
            aria-label={m.channelsMore.tagPlaceholder}
            placeholder={m.channelsMore.tagPlaceholder}
            value={batchTag}
            onChange={(e) => setBatchTag(e.target.value)}
            data-testid="batch-tag-input"
          />
          <button type="button" className="btn btn-sm" data-testid="batch-tag" onClick={() => void tagSelected()}>
            {m.channelsMore.setTag}
          </button>
        </div>
      ) : null}
      {notice ? (
        <p className="muted" role="status">
          {notice}
        </p>
      ) : null}
      {error || list.error ? (
        <p className="alert" role="alert">
          {error || list.error}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table" data-testid="channels-table">
          <thead>
            <tr>
              <th>
                <input
                  type="checkbox"
                  aria-label={m.channelsMore.selectAll}
                  checked={allChosen}
                  onChange={(e) => setSelected(e.target.checked ? new Set(items.map((c) => c.id)) : new Set())}
                  data-testid="channel-select-all"
                />
              </th>
              <th>ID</th>
              <th>{m.channels.name}</th>
              <th>{m.channels.type}</th>
              <th>{m.ui.status}</th>
              <th>{m.channels.groups}</th>
              <th>{m.channels.models}</th>
              <th className="num">{m.channels.responseTime}</th>
              <th className="num">{m.channels.balance}</th>
              <th className="num">{m.tokens.used}</th>
              <th className="num">{m.channels.priority}</th>
              <th className="num">{m.channels.weight}</th>
              <th>{m.ui.actions}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={13} className="muted">
                  {list.loading ? m.common.loading : m.ui.noData}
                </td>
              </tr>
            ) : null}
            {items.map((channel) => (
              <tr key={channel.id} data-testid="channel-row" data-channel-name={channel.name} data-channel-id={channel.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={format(m.channelsMore.selectRow, { name: channel.name })}
                    checked={selected.has(channel.id)}
                    onChange={(e) => toggle(channel.id, e.target.checked)}
                    data-testid="channel-select"
                  />
                </td>
                <td>{channel.id}</td>
                <td className="soft-wrap">
                  {channel.name}
                  {channel.channel_info?.is_multi_key ? (
                    <span className="badge" style={{ marginLeft: 6 }} data-testid="channel-multi-key">
                      {format(m.channelsMore.keys, { count: channel.channel_info.multi_key_size })} ·{' '}
                      {channel.channel_info.multi_key_mode === 'polling' ? m.channels.multiKeyPolling : m.channels.multiKeyRandom}
                    </span>
                  ) : null}
                  {channel.tag ? <span className="badge" style={{ marginLeft: 6 }}>{channel.tag}</span> : null}
                </td>
                <td>{CHANNEL_TYPE_NAMES[channel.type] ?? channel.type}</td>
                <td>
                  <span className={statusClass(channel.status)} data-testid="channel-status">
                    {m.channels.statuses[channel.status] ?? channel.status}
                  </span>
                </td>
                <td>{channel.group}</td>
                <td className="wrap mono" style={{ maxWidth: 240 }}>
                  <div className="clamp-3" title={channel.models}>
                    {channel.models.replace(/,/g, ', ')}
                  </div>
                </td>
                <td className="num">
                  <span data-testid="channel-response-time">{channel.response_time ? `${(channel.response_time / 1000).toFixed(2)}s` : '—'}</span>
                  <div style={{ marginTop: 4 }}>
                    <button type="button" className="btn btn-sm" data-testid="channel-test" disabled={tests[channel.id]?.state === 'pending'} onClick={() => void testChannel(channel)}>
                      {m.channelsMore.test}
                    </button>
                  </div>
                  <RowCheckNote check={tests[channel.id]} pending={m.channelsMore.testing} testId="channel-test-result" />
                </td>
                <td className="num">
                  <span data-testid="channel-balance" title={channel.balance_updated_time ? format(m.channelsMore.balanceUpdatedAt, { time: formatUnixTime(channel.balance_updated_time, locale) }) : undefined}>
                    {channel.balance_updated_time ? formatUsdAmount(channel.balance) : '—'}
                  </span>
                  <div style={{ marginTop: 4 }}>
                    <button type="button" className="btn btn-sm" data-testid="channel-balance-update" disabled={balanceChecks[channel.id]?.state === 'pending'} onClick={() => void updateBalance(channel)}>
                      {m.channelsMore.updateBalance}
                    </button>
                  </div>
                  {balanceChecks[channel.id]?.state === 'failed' ? <RowCheckNote check={balanceChecks[channel.id]} pending="" testId="channel-balance-error" /> : null}
                </td>
                <td className="num">{formatQuota(channel.used_quota, status)}</td>
                <td className="num">{channel.priority}</td>
                <td className="num">{channel.weight}</td>
                <td>
                  <div className="row-actions">
                    <button type="button" className="btn btn-sm" data-testid="channel-edit" onClick={() => setEditing(channel.id)}>
                      {m.ui.edit}
                    </button>

                    {channel.status === ChannelStatus.Enabled ? (
                      <button
                        type="button"
                        className="btn btn-sm btn-icon"
                        title={m.ui.disable}
                        aria-label={m.ui.disable}
                        data-testid="channel-disable"
                        onClick={() => void setChannelStatus(channel, ChannelStatus.ManuallyDisabled)}
                      >
                        <PauseIcon />
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-sm btn-icon"
                        title={m.ui.enable}
                        aria-label={m.ui.enable}
                        data-testid="channel-enable"
                        onClick={() => void setChannelStatus(channel, ChannelStatus.Enabled)}
                      >
                        <PlayIcon />
                      </button>
                    )}
                    <ConfirmButton
                      label={<TrashIcon />}
                      title={m.ui.delete}
                      className="btn btn-sm btn-danger btn-icon"
                      message={format(m.channels.deleteConfirm, { name: channel.name })}
                      onConfirm={() => remove(channel)}
                      testId="channel-delete"
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager {...pagerProps(list.data?.total ?? 0)} />
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

/** A row's last Test or Update outcome: the time on success, the upstream's message on failure. */
function RowCheckNote({ check, pending, testId }: { check: RowCheck | undefined; pending: string; testId: string }) {
  if (!check) return null;
  if (check.state === 'pending') {
    return (
      <div className="muted" data-testid={testId} data-state="pending">
        {pending}
      </div>
    );
  }
  return (
    <div data-testid={testId} data-state={check.state}>
      <span className={check.state === 'ok' ? 'badge badge-ok' : 'badge badge-warn'} title={check.text} style={{ maxWidth: 160, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', verticalAlign: 'bottom' }}>
        {check.text}
      </span>
    </div>
  );
}
