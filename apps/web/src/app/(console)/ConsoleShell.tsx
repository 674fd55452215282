'use client';

import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { SiteHeader, type NavItem } from '@/components/SiteHeader';
import { api } from '@/lib/api-client';
import { useI18n } from '@/lib/i18n/context';
import { clearSession } from '@/lib/session';
import styles from './console.module.css';

/** Console navigation; tokens, logs, channels… get added here as they land. */
function consoleNav(m: ReturnType<typeof useI18n>['m']): NavItem[] {
  return [{ href: '/console', label: m.nav.overview }];
}

export function ConsoleShell({ children }: { children: ReactNode }) {
  const { m } = useI18n();
  const router = useRouter();
  const [pending, setPending] = useState(false);

  async function logout() {
    setPending(true);
    await api.get('/api/user/logout'); // clears the session cookie
    clearSession();
    setPending(false);
    router.replace('/login');
  }

  return (
    <>
      <SiteHeader
        nav={consoleNav(m)}
        actions={
          <button type="button" className="btn" onClick={logout} disabled={pending} data-testid="logout">
            {m.nav.logout}
          </button>
        }
      />
      <main className={`container ${styles.main}`}>{children}</main>
    </>
  );
}
