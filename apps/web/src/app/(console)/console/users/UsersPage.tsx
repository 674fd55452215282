'use client';

import { useState, type FormEvent } from 'react';
import { Role, UserStatus, type Page, type UserView } from '@your-api/contracts';
import { ConfirmButton } from '@/components/ui/ConfirmButton';
import { PauseIcon, PlayIcon, TrashIcon } from '@/components/ui/icons';
import { Modal } from '@/components/ui/Modal';
import { Pager } from '@/components/ui/Pager';
import { api } from '@/lib/api-client';
import { useConsoleUser } from '@/lib/console-user';
import { formatQuota, roleName } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';
import { useApi } from '@/lib/use-api';
import styles from '../../console.module.css';
import { usePaging } from '@/lib/use-paging';

type ManageAction = 'enable' | 'disable' | 'promote' | 'demote' | 'delete';

/** Admin: list and search users, create and edit them, change role and status. */
export function UsersPage() {
  const { m } = useI18n();
  const status = useSiteStatus();
  const { user: me } = useConsoleUser();
  const { page, setPage, pageSize, pagerProps } = usePaging(20);
  const [keyword, setKeyword] = useState('');
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<UserView | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const groups = useApi<string[]>('/api/group/');
  const list = useApi<Page<UserView>>(search ? '/api/user/search' : '/api/user/', { p: page, page_size: pageSize, keyword: search || undefined });

  async function manage(target: UserView, action: ManageAction) {
    const res = await api.post('/api/user/manage', { id: target.id, action });
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
        <h1 className={styles.heading}>{m.users.title}</h1>
        <button type="button" className="btn btn-primary" data-testid="user-create" onClick={() => setEditing('new')}>
          {m.users.create}
        </button>
      </div>
      <form className="toolbar" onSubmit={onSearch}>
        <div className="field">
          <label htmlFor="user-search">{m.users.search}</label>
          <input id="user-search" className="input" value={keyword} onChange={(e) => setKeyword(e.target.value)} />
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
        <table className="table" data-testid="users-table">
          <thead>
            <tr>
              <th>ID</th>
              <th>{m.users.username}</th>
              <th>{m.users.group}</th>
              <th className="num">{m.users.quota}</th>
              <th className="num">{m.users.used}</th>
              <th className="num">{m.users.requests}</th>
              <th>{m.users.role}</th>
              <th>{m.ui.status}</th>
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
            {items.map((u) => {
              const manageable = me.role === Role.Root ? u.id !== me.id : u.role < me.role;
              return (
                <tr key={u.id} data-testid="user-row" data-username={u.username}>
                  <td>{u.id}</td>
                  <td>
                    {u.username}
                    {u.display_name && u.display_name !== u.username ? <span className="muted"> ({u.display_name})</span> : null}
                  </td>
                  <td>{u.group}</td>
                  <td className="num">{formatQuota(u.quota, status)}</td>
                  <td className="num">{formatQuota(u.used_quota, status)}</td>
                  <td className="num">{u.request_count}</td>
                  <td>{roleName(u.role, m)}</td>
                  <td>
                    <span className={u.status === UserStatus.Enabled ? 'badge badge-ok' : 'badge badge-off'}>{u.status === UserStatus.Enabled ? m.ui.enabled : m.ui.disabled}</span>
                  </td>
                  <td>
                    {manageable ? (
                      <div className="row-actions">
                        <button type="button" className="btn btn-sm" onClick={() => setEditing(u)}>
                          {m.ui.edit}
                        </button>
                        {u.status === UserStatus.Enabled ? (
                          <button type="button" className="btn btn-sm btn-icon" title={m.ui.disable} aria-label={m.ui.disable} onClick={() => void manage(u, 'disable')}>
                            <PauseIcon />
                          </button>
                        ) : (
                          <button type="button" className="btn btn-sm btn-icon" title={m.ui.enable} aria-label={m.ui.enable} onClick={() => void manage(u, 'enable')}>
                            <PlayIcon />
                          </button>
                        )}
                        {me.role === Role.Root && u.role < Role.Admin ? (
                          <button type="button" className="btn btn-sm" onClick={() => void manage(u, 'promote')}>
                            {m.users.promote}
                          </button>
                        ) : null}
                        {me.role === Role.Root && u.role === Role.Admin ? (
                          <button type="button" className="btn btn-sm" onClick={() => void manage(u, 'demote')}>
                            {m.users.demote}
                          </button>
                        ) : null}
                        <ConfirmButton
                          label={<TrashIcon />}
                          title={m.ui.delete}
                          className="btn btn-sm btn-danger btn-icon"
                          message={format(m.users.deleteConfirm, { name: u.username })}
                          onConfirm={() => manage(u, 'delete')}
                        />
                      </div>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pager {...pagerProps(list.data?.total ?? 0)} />
      {editing ? (
        <UserDialog
          user={editing === 'new' ? null : editing}
          groups={groups.data ?? []}
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

function UserDialog({ user, groups, onClose, onSaved }: { user: UserView | null; groups: string[]; onClose: () => void; onSaved: () => void }) {
  const { m } = useI18n();
  const status = useSiteStatus();
  const [username, setUsername] = useState(user?.username ?? '');
  const [displayName, setDisplayName] = useState(user?.display_name ?? '');
  const [password, setPassword] = useState('');
  const [group, setGroup] = useState(user?.group ?? 'default');
  const [quota, setQuota] = useState(String(user?.quota ?? 0));
  const [remark, setRemark] = useState(user?.remark ?? '');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const res = user
      ? await api.put('/api/user/', {
          id: user.id,
          username: username.trim(),
          display_name: displayName.trim(),
          group,
          quota: Math.floor(Number(quota) || 0),
          remark,
          ...(password ? { password } : {}),
        })
      : await api.post('/api/user/', { username: username.trim(), password, display_name: displayName.trim() || username.trim() });
    setPending(false);
    if (!res.success) {
      setError(res.message);
      return;
    }
    onSaved();
  }

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={user ? format(m.users.editTitle, { name: user.username }) : m.users.createTitle}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {m.ui.cancel}
          </button>
          <button type="submit" form="user-form" className="btn btn-primary" disabled={pending}>
            {pending ? m.ui.saving : m.ui.save}
          </button>
        </>
      }
    >
      <form id="user-form" className="form-grid" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="user-username">{m.users.username}</label>
          <input id="user-username" className="input" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="user-display">{m.users.displayName}</label>
          <input id="user-display" className="input" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </div>
        <div className="field span-2">
          <label htmlFor="user-password">{m.users.password}</label>
          <input id="user-password" type="password" className="input" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          {user ? <p className="hint">{m.users.passwordHint}</p> : null}
        </div>
        {user ? (
          <>
            <div className="field">
              <label htmlFor="user-group">{m.users.group}</label>
              <select id="user-group" className="input" value={group} onChange={(e) => setGroup(e.target.value)}>
                {[...new Set([group, ...groups])].map((g) => (
                  <option key={g} value={g}>
                    {g}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="user-quota">{m.users.quota}</label>
              <input id="user-quota" type="number" step={1} className="input" value={quota} onChange={(e) => setQuota(e.target.value)} />
              <p className="hint">≈ {formatQuota(Number(quota) || 0, status)}</p>
            </div>
            <div className="field span-2">
              <label htmlFor="user-remark">{m.users.remark}</label>
              <input id="user-remark" className="input" value={remark} onChange={(e) => setRemark(e.target.value)} />
            </div>
          </>
        ) : null}
        {error ? (
          <p className="alert span-2" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </Modal>
  );
}
