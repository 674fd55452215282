'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { CopyButton } from '@/components/ui/CopyButton';
import { api } from '@/lib/api-client';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import styles from '../../auth.module.css';

/**
 * The page of the mailed link `/user/reset?email=&token=`. The reset waits for a click (mail
 * scanners that open links must not use the one-time token up), then POST /api/user/reset
 * answers the new random password, shown once with a copy button.
 */
export function ResetConfirm() {
  const { m } = useI18n();
  const params = useSearchParams();
  const email = params.get('email')?.trim() ?? '';
  const token = params.get('token')?.trim() ?? '';
  const [password, setPassword] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function confirm() {
    setError(null);
    setPending(true);
    const res = await api.post<string>('/api/user/reset', { email, token });
    setPending(false);
    if (!res.success || typeof res.data !== 'string') return setError(res.message || `HTTP ${res.status}`);
    setPassword(res.data);
  }

  return (
    <div className={`card ${styles.panel}`}>
      <h1 className={styles.title}>{m.account.confirmTitle}</h1>
      {!email || !token ? (
        <p className="alert" role="alert">
          {m.account.linkIncomplete} <Link href="/reset">{m.account.askAgain}</Link>
        </p>
      ) : password ? (
        <div className={styles.form}>
          <div className="field">
            <label htmlFor="new-password">{m.account.newPasswordIs}</label>
            <div className={styles.row}>
              <input id="new-password" className="input" value={password} readOnly data-testid="new-password" />
              <CopyButton text={password} className="btn" testId="copy-password" />
            </div>
          </div>
          <p className="hint">{m.account.newPasswordHint}</p>
          <Link href={`/login`} className={`btn btn-primary ${styles.submit}`}>
            {m.login.submit}
          </Link>
        </div>
      ) : (
        <div className={styles.form}>
          <p className={`muted ${styles.subtitle}`}>{format(m.account.confirmSubtitle, { email })}</p>
          {error ? (
            <p className="alert" role="alert">
              {error} <Link href="/reset">{m.account.askAgain}</Link>
            </p>
          ) : null}
          <button type="button" className={`btn btn-primary ${styles.submit}`} disabled={pending} onClick={() => void confirm()}>
            {pending ? m.account.confirming : m.account.confirmButton}
          </button>
        </div>
      )}
    </div>
  );
}
