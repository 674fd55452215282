'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import type { UserView } from '@your-api/contracts';
import { api } from '@/lib/api-client';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { clearSession, saveSession } from '@/lib/session';
import { useSiteStatus } from '@/lib/site-context';
import styles from '../auth.module.css';

type LoginUser = Pick<UserView, 'id' | 'username' | 'display_name' | 'role' | 'status' | 'group'>;

/**
 * v25.04 answers `data: {id, username, role, display_name, status, group}`;
 * later versions wrap the user as `data.user` (and may ask for 2FA).
 */
type LoginData = Partial<LoginUser> & { user?: Partial<LoginUser>; require_2fa?: boolean };

function pickUser(data: LoginData | undefined): LoginUser | null {
  const u = data?.user ?? data;
  if (!u || typeof u.id !== 'number') return null;
  return {
    id: u.id,
    username: u.username ?? '',
    display_name: u.display_name ?? '',
    role: u.role ?? 1,
    status: u.status ?? 1,
    group: u.group ?? '',
  };
}

export function LoginForm() {
  const { m } = useI18n();
  const status = useSiteStatus();
  const router = useRouter();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const name = status?.system_name || m.common.productName;
  const passwordLoginDisabled = status?.['password_login_enabled'] === false;

  useEffect(() => {
    // /console sends users here with ?expired=1 when the session is gone.
    if (new URLSearchParams(window.location.search).has('expired')) setError(m.console.sessionExpired);
  }, [m]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(m.login.required);
      return;
    }
    setPending(true);
    setError(null);
    clearSession(); // no stale New-Api-User on the login call
    const res = await api.post<LoginData>('/api/user/login', { username: username.trim(), password });
    setPending(false);
    if (!res.success) {
      setError(res.message || m.login.failed);
      return;
    }
    if (res.data?.require_2fa) {
      setError(m.login.twoFactorUnsupported);
      return;
    }
    const user = pickUser(res.data);
    if (!user) {
      setError(res.message || m.login.failed);
      return;
    }
    saveSession(user);
    router.push('/console');
  }

  return (
    <div className={`card ${styles.panel}`}>
      <h1 className={styles.title}>{m.login.title}</h1>
      <p className={`muted ${styles.subtitle}`}>{format(m.login.subtitle, { name })}</p>
      {passwordLoginDisabled ? <p className="alert">{m.login.passwordLoginDisabled}</p> : null}
      <form id="login-form" className={styles.form} method="post" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="username">{m.login.username}</label>
          <input
            id="username"
            name="username"
            className="input"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="password">{m.login.password}</label>
          <input
            id="password"
            name="password"
            type="password"
            className="input"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </div>
        {error ? (
          <p className="alert" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className={`btn btn-primary ${styles.submit}`} disabled={pending}>
          {pending ? m.login.submitting : m.login.submit}
        </button>
      </form>
    </div>
  );
}
