'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api } from '@/lib/api-client';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { pickUser, type LoginData } from '@/lib/login-result';
import { isOAuthProvider } from '@/lib/oauth';
import { saveSession } from '@/lib/session';
import styles from '../../auth.module.css';

/** Where the provider sends the browser back: hands `code` and `state` to GET /api/oauth/<provider>, then opens the console. */
export function OAuthCallback({ provider }: { provider: string }) {
  const { m } = useI18n();
  const router = useRouter();
  const params = useSearchParams();
  const code = params.get('code') ?? '';
  const state = params.get('state') ?? '';
  const [failure, setFailure] = useState<string | null>(null);
  const known = isOAuthProvider(provider);

  useEffect(() => {
    if (!known) return;
    let cancelled = false;
    void api.get<LoginData>(`/api/oauth/${provider}`, { query: { code, state } }).then((res) => {
      if (cancelled) return;
      const user = res.success ? pickUser(res.data) : null;
      if (!user) {
        setFailure(res.message || `HTTP ${res.status}`);
        return;
      }
      // A bind (started from the profile page) answers message "bind": back to the profile.
      if (res.message === 'bind') {
        router.replace(`/console/profile?bound=${provider}`);
        return;
      }
      saveSession(user);
      router.replace('/console');
    });
    return () => {
      cancelled = true;
    };
  }, [known, provider, code, state, router]);

  return (
    <div className={`card ${styles.panel}`}>
      <h1 className={styles.title}>{m.oauth.callbackTitle}</h1>
      {!known ? <p className="alert">{m.oauth.unknownProvider}</p> : null}
      {failure ? (
        <p className="alert" role="alert">
          {format(m.oauth.callbackFailed, { provider, message: failure })} <Link href="/login">{m.login.submit}</Link>
        </p>
      ) : null}
    </div>
  );
}
