'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api } from '@/lib/api-client';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';
import { OAuthButtons } from '../OAuthButtons';
import { useTurnstile } from '../Turnstile';
import styles from '../auth.module.css';

/**
 * POST /api/user/register, as New API's register page: the invite code comes from `?aff=`, the
 * email and its code are asked for only when the operator turned email verification on, and the
 * form is replaced by a notice when RegisterEnabled or PasswordRegisterEnabled is off.
 */
export function RegisterForm() {
  const { m } = useI18n();
  const status = useSiteStatus();
  const router = useRouter();
  const aff = useSearchParams().get('aff')?.trim() ?? '';
  const [form, setForm] = useState({ username: '', password: '', confirm: '', email: '', code: '' });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const turnstile = useTurnstile();

  const name = status?.system_name || m.common.productName;
  const registerOpen = status?.['register_enabled'] !== false;
  const passwordOpen = registerOpen && status?.['password_register_enabled'] !== false;
  const emailRequired = status?.['email_verification'] === true;
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  async function sendCode() {
    setError(null);
    if (!form.email.trim()) {
      setError(m.register.emailRequired);
      return;
    }
    if (turnstile.enabled && !turnstile.token) {
      setError(m.account.turnstileRequired);
      return;
    }
    const res = await api.get('/api/verification', { query: { email: form.email.trim(), ...turnstile.query } });
    turnstile.reset();
    if (res.success) setNotice(m.register.codeSent);
    else setError(res.message || `HTTP ${res.status}`);
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    if (!form.username.trim() || !form.password) return setError(m.register.required);
    if (form.password !== form.confirm) return setError(m.register.mismatch);
    if (emailRequired && (!form.email.trim() || !form.code.trim())) return setError(m.register.emailRequired);
    if (turnstile.enabled && !turnstile.token) return setError(m.account.turnstileRequired);
    setPending(true);
    const res = await api.post(
      '/api/user/register',
      {
        username: form.username.trim(),
        password: form.password,
        ...(emailRequired ? { email: form.email.trim(), verification_code: form.code.trim() } : {}),
        ...(aff ? { aff_code: aff } : {}),
      },
      { query: turnstile.query },
    );
    setPending(false);
    turnstile.reset();
    if (!res.success) return setError(res.message || `HTTP ${res.status}`);
    router.push(`/login?registered=${encodeURIComponent(form.username.trim())}`);
  }

  return (
    <div className={`card ${styles.panel}`}>
      <h1 className={styles.title}>{m.register.title}</h1>
      <p className={`muted ${styles.subtitle}`}>{format(m.register.subtitle, { name })}</p>
      {!registerOpen ? (
        <p className="alert" data-testid="register-closed">
          {m.register.disabled}
        </p>
      ) : !passwordOpen ? (
        <p className="alert" data-testid="register-closed">
          {m.register.passwordDisabled}
        </p>
      ) : (
        <form id="register-form" className={styles.form} onSubmit={onSubmit} noValidate>
          <div className="field">
            <label htmlFor="reg-username">{m.register.username}</label>
            <input id="reg-username" className="input" autoComplete="username" value={form.username} onChange={set('username')} required />
          </div>
          <div className="field">
            <label htmlFor="reg-password">{m.register.password}</label>
            <input id="reg-password" type="password" className="input" autoComplete="new-password" value={form.password} onChange={set('password')} aria-describedby="reg-password-hint" required />
            <small id="reg-password-hint" className="muted">
              {m.register.passwordHint}
            </small>
          </div>
          <div className="field">
            <label htmlFor="reg-confirm">{m.register.confirmPassword}</label>
            <input id="reg-confirm" type="password" className="input" autoComplete="new-password" value={form.confirm} onChange={set('confirm')} required />
          </div>
          {emailRequired ? (
            <>
              <div className={styles.row}>
                <div className="field">
                  <label htmlFor="reg-email">{m.register.email}</label>
                  <input id="reg-email" type="email" className="input" autoComplete="email" value={form.email} onChange={set('email')} required />
                </div>
                <button type="button" className="btn" onClick={() => void sendCode()}>
                  {m.register.sendCode}
                </button>
              </div>
              <div className="field">
                <label htmlFor="reg-code">{m.register.verificationCode}</label>
                <input id="reg-code" className="input" autoComplete="one-time-code" value={form.code} onChange={set('code')} required />
              </div>
            </>
          ) : null}
          {aff ? (
            <div className="field">
              <label htmlFor="reg-aff">{m.register.inviteCode}</label>
              <input id="reg-aff" className="input" value={aff} readOnly />
            </div>
          ) : null}
          {turnstile.widget}
          {notice ? (
            <p className="muted" role="status">
              {notice}
            </p>
          ) : null}
          {error ? (
            <p className="alert" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className={`btn btn-primary ${styles.submit}`} disabled={pending}>
            {pending ? m.register.submitting : m.register.submit}
          </button>
        </form>
      )}
      {registerOpen ? <OAuthButtons aff={aff} /> : null}
      <p className={`muted ${styles.switch}`}>
        {m.register.haveAccount} <Link href="/login">{m.login.submit}</Link>
      </p>
    </div>
  );
}
