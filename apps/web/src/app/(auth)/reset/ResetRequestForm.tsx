'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { api } from '@/lib/api-client';
import { useI18n } from '@/lib/i18n/context';
import { useTurnstile } from '../Turnstile';
import styles from '../auth.module.css';

/** GET /api/reset_password?email=: the API mails `{ServerAddress}/user/reset?email=&token=`. */
export function ResetRequestForm() {
  const { m } = useI18n();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [pending, setPending] = useState(false);
  const turnstile = useTurnstile();

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    if (!email.trim()) return setError(m.account.emailRequired);
    if (turnstile.enabled && !turnstile.token) return setError(m.account.turnstileRequired);
    setPending(true);
    const res = await api.get('/api/reset_password', { query: { email: email.trim(), ...turnstile.query } });
    setPending(false);
    turnstile.reset();
    if (!res.success) return setError(res.message || `HTTP ${res.status}`);
    setSent(true);
  }

  return (
    <div className={`card ${styles.panel}`}>
      <h1 className={styles.title}>{m.account.resetTitle}</h1>
      <p className={`muted ${styles.subtitle}`}>{m.account.resetSubtitle}</p>
      <form id="reset-form" className={styles.form} onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="reset-email">{m.account.email}</label>
          <input id="reset-email" type="email" className="input" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </div>
        {turnstile.widget}
        {sent ? (
          <p className="notice" role="status" data-testid="reset-sent">
            {m.account.resetSent}
          </p>
        ) : null}
        {error ? (
          <p className="alert" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className={`btn btn-primary ${styles.submit}`} disabled={pending}>
          {pending ? m.account.sending : m.account.sendResetLink}
        </button>
      </form>
      <p className={`muted ${styles.switch}`}>
        <Link href="/login">{m.account.backToLogin}</Link>
      </p>
    </div>
  );
}
