'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api } from '@/lib/api-client';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { pickUser, type LoginData } from '@/lib/login-result';
import { clearSession, saveSession } from '@/lib/session';
import { useSiteStatus } from '@/lib/site-context';
import { OAuthButtons } from '../OAuthButtons';
import { useTurnstile } from '../Turnstile';
import styles from '../auth.module.css';

export function LoginForm() {
  const { m } = useI18n();
  const status = useSiteStatus();
  const router = useRouter();
  const params = useSearchParams();
  // /register sends new users here with ?registered=<username>.
  const registered = params.get('registered');
  const [username, setUsername] = useState(registered ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const turnstile = useTurnstile();

  const name = status?.system_name || m.common.productName;
  const passwordLoginDisabled = status?.['password_login_enabled'] === false;

  // /console sends users here with ?expired=1 when the session is gone.
  const expired = params.has('expired');
  const shownError = error ?? (expired && !pending ? m.console.sessionExpired : null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(m.login.required);
      return;
    }
    if (turnstile.enabled && !turnstile.token) {
      setError(m.account.turnstileRequired);
      return;
    }
    setPending(true);
    setError(null);
    clearSession(); // no stale New-Api-User on the login call
    const res = await api.post<LoginData>('/api/user/login', { username: username.trim(), password }, { query: turnstile.query });
    setPending(false);
    turnstile.reset();
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
      {status?.setup === false ? (
        <p className="alert">
          {m.setup.notDoneHint} <Link href="/setup">{m.setup.goSetup}</Link>
        </p>
      ) : null}
      {registered ? (
        <p className="muted" role="status" data-testid="registered-notice">
          {m.register.done}
        </p>
      ) : null}
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
        {turnstile.widget}
        {shownError ? (
          <p className="alert" role="alert">
            {shownError}
          </p>
        ) : null}
        <button type="submit" className={`btn btn-primary ${styles.submit}`} disabled={pending}>
          {pending ? m.login.submitting : m.login.submit}
        </button>
      </form>
      <p className={`muted ${styles.switch}`}>
        <Link href="/reset" data-testid="forgot-password">
          {m.account.forgotPassword}
        </Link>
      </p>
      <OAuthButtons />
      {status?.['register_enabled'] !== false ? (
        <p className={`muted ${styles.switch}`}>
          {m.register.noAccount} <Link href="/register">{m.landing.register}</Link>
        </p>
      ) : null}
    </div>
  );
}
