'use client';

import { useState, type FormEvent } from 'react';
import { CopyButton } from '@/components/ui/CopyButton';
import { api } from '@/lib/api-client';
import { useConsoleUser } from '@/lib/console-user';
import { roleName } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import styles from '../../console.module.css';
import { Bindings } from './Bindings';

type Message = { ok: boolean; text: string } | null;

/** Display name, password and the management access token of the signed-in user. */
export function ProfilePage() {
  const { m } = useI18n();
  const { user, reload } = useConsoleUser();
  const [displayName, setDisplayName] = useState(user.display_name);
  const [profileMsg, setProfileMsg] = useState<Message>(null);
  const [original, setOriginal] = useState('');
  const [password, setPassword] = useState('');
  const [passwordMsg, setPasswordMsg] = useState<Message>(null);
  const [accessToken, setAccessToken] = useState(user.access_token ?? '');
  const [tokenMsg, setTokenMsg] = useState<Message>(null);
  // A user created by OAuth has no password: they set a first one without the current password.
  const settingFirst = user.has_password === false;

  async function saveProfile(e: FormEvent) {
    e.preventDefault();
    const res = await api.put('/api/user/self', { display_name: displayName.trim() });
    setProfileMsg({ ok: res.success, text: res.success ? m.ui.saved : res.message });
    if (res.success) await reload();
  }

  async function changePassword(e: FormEvent) {
    e.preventDefault();
    const res = await api.put('/api/user/self', settingFirst ? { password } : { password, original_password: original });
    setPasswordMsg({ ok: res.success, text: res.success ? (settingFirst ? m.profile.passwordSet : m.profile.passwordChanged) : res.message });
    if (res.success) {
      setOriginal('');
      setPassword('');
      if (settingFirst) await reload();
    }
  }

  async function generateToken() {
    const res = await api.get<string>('/api/user/token');
    if (res.success && typeof res.data === 'string') setAccessToken(res.data);
    else setTokenMsg({ ok: false, text: res.message });
  }

  const notice = (msg: Message) =>
    msg ? (
      <p className={msg.ok ? 'notice' : 'alert'} role="status">
        {msg.text}
      </p>
    ) : null;

  return (
    <section>
      <h1 className={styles.heading} style={{ marginBottom: 16 }}>
        {m.profile.title}
      </h1>
      <div style={{ display: 'grid', gap: 16 }}>
        <form className="card form-grid" onSubmit={saveProfile}>
          <div className="field">
            <label>{m.users.username}</label>
            <input className="input" value={user.username} readOnly />
          </div>
          <div className="field">
            <label>{m.users.role}</label>
            <input className="input" value={`${roleName(user.role, m)} · ${user.group}`} readOnly />
          </div>
          <div className="field span-2">
            <label htmlFor="profile-display">{m.profile.displayName}</label>
            <input id="profile-display" className="input" maxLength={20} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          </div>
          <div className="span-2">{notice(profileMsg)}</div>
          <div>
            <button type="submit" className="btn btn-primary">
              {m.ui.save}
            </button>
          </div>
        </form>
        <form className="card form-grid" onSubmit={changePassword} data-testid="password-form">
          <h2 className="span-2" style={{ margin: 0, fontSize: '1.1rem' }}>
            {settingFirst ? m.profile.setPassword : m.profile.changePassword}
          </h2>
          {settingFirst ? (
            <p className="hint span-2" style={{ margin: 0 }}>
              {m.profile.setPasswordHint}
            </p>
          ) : (
            <div className="field">
              <label htmlFor="profile-original">{m.profile.originalPassword}</label>
              <input id="profile-original" type="password" className="input" autoComplete="current-password" value={original} onChange={(e) => setOriginal(e.target.value)} />
            </div>
          )}
          <div className="field">
            <label htmlFor="profile-password">{m.profile.newPassword}</label>
            <input id="profile-password" type="password" className="input" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          <div className="span-2">{notice(passwordMsg)}</div>
          <div>
            <button type="submit" className="btn btn-primary" disabled={(!settingFirst && !original) || !password}>
              {settingFirst ? m.profile.setPassword : m.profile.changePassword}
            </button>
          </div>
        </form>
        <div className="card">
          <h2 style={{ margin: '0 0 8px', fontSize: '1.1rem' }}>{m.profile.accessToken}</h2>
          <p className="hint">{format(m.profile.accessTokenHint, { id: user.id })}</p>
          {accessToken ? (
            <div className="row-actions" style={{ alignItems: 'center', flexWrap: 'wrap', margin: '10px 0' }}>
              <code data-testid="access-token">{accessToken}</code>
              <CopyButton text={accessToken} />
            </div>
          ) : null}
          {notice(tokenMsg)}
          <button type="button" className="btn" onClick={() => void generateToken()}>
            {m.profile.generate}
          </button>
        </div>
        <Bindings />
      </div>
    </section>
  );
}
