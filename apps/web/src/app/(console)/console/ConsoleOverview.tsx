'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import type { UserView } from '@your-api/contracts';
import { api } from '@/lib/api-client';
import { formatQuota, roleName } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { clearSession, getUserId } from '@/lib/session';
import { useSiteStatus } from '@/lib/site-context';
import styles from '../console.module.css';

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; user: UserView }
  | { kind: 'error'; message: string };

/** GET /api/user/self (session cookie + New-Api-User) and the key numbers. */
export function ConsoleOverview() {
  const { m } = useI18n();
  const status = useSiteStatus();
  const router = useRouter();
  const [state, setState] = useState<State>({ kind: 'loading' });

  const load = useCallback(async () => {
    if (getUserId() === null) {
      router.replace('/login');
      return;
    }
    setState({ kind: 'loading' });
    const res = await api.get<UserView>('/api/user/self');
    if (res.status === 401) {
      clearSession();
      router.replace('/login?expired=1');
      return;
    }
    if (!res.success || !res.data) {
      setState({ kind: 'error', message: res.message || m.console.loadFailed });
      return;
    }
    setState({ kind: 'ready', user: res.data });
  }, [router, m]);

  useEffect(() => {
    void load();
  }, [load]);

  if (state.kind === 'loading') {
    return <p className="muted">{m.common.loading}</p>;
  }
  if (state.kind === 'error') {
    return (
      <div>
        <p className="alert" role="alert">
          {state.message}
        </p>
        <div className={styles.actions}>
          <button type="button" className="btn" onClick={() => void load()}>
            {m.console.retry}
          </button>
        </div>
      </div>
    );
  }

  const { user } = state;
  const stats: Array<[string, string]> = [
    [m.console.username, user.username],
    [m.console.displayName, user.display_name || '—'],
    [m.console.role, roleName(user.role, m)],
    [m.console.group, user.group || '—'],
    [m.console.quota, formatQuota(user.quota ?? 0, status)],
    [m.console.usedQuota, formatQuota(user.used_quota ?? 0, status)],
    [m.console.requestCount, (user.request_count ?? 0).toLocaleString('en-US')],
  ];

  return (
    <section>
      <h1 className={styles.heading}>{format(m.console.welcome, { name: user.display_name || user.username })}</h1>
      <dl className={styles.grid}>
        {stats.map(([label, value]) => (
          <div key={label} className={`card ${styles.stat}`}>
            <dt className="muted">{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
