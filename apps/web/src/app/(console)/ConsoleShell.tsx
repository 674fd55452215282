'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { Dialog } from 'radix-ui';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Role, type UserView } from '@your-api/contracts';
import { LanguageSwitcher } from '@/components/LanguageSwitcher';
import { api } from '@/lib/api-client';
import { ConsoleUserContext } from '@/lib/console-user';
import { useI18n } from '@/lib/i18n/context';
import type { Messages } from '@/lib/i18n/dictionary';
import { clearSession, getUserId, saveSession } from '@/lib/session';
import { useSiteStatus } from '@/lib/site-context';
import styles from './console.module.css';

interface NavEntry {
  href: string;
  label: string;
  testId: string;
}
interface NavGroup {
  label: string;
  items: NavEntry[];
}

/** The sidebar, grouped as New API's console: chat, console, personal, and admin for admins. */
function consoleNav(m: Messages, role: number): NavGroup[] {
  const s = m.sidebar;
  const groups: NavGroup[] = [
    {
      label: s.chat,
      items: [
        { href: '/console/playground', label: s.playground, testId: 'nav-playground' },
        { href: '/chat2link', label: m.chat2link.nav, testId: 'nav-chat2link' },
      ],
    },
    {
      label: s.console,
      items: [
        { href: '/console', label: s.dashboard, testId: 'nav-dashboard' },
        { href: '/console/tokens', label: s.tokens, testId: 'nav-tokens' },
        { href: '/console/logs', label: s.logs, testId: 'nav-logs' },
        { href: '/console/tasks', label: s.tasks, testId: 'nav-tasks' },
        { href: '/pricing', label: s.pricing, testId: 'nav-pricing' },
        { href: '/docs', label: s.docs, testId: 'nav-docs' },
      ],
    },
    {
      label: s.personal,
      items: [
        { href: '/console/wallet', label: s.wallet, testId: 'nav-wallet' },
        { href: '/console/profile', label: s.profile, testId: 'nav-profile' },
      ],
    },
  ];
  if (role >= Role.Admin) {
    const admin: NavEntry[] = [
      { href: '/console/channels', label: s.channels, testId: 'nav-channels' },
      { href: '/console/users', label: s.users, testId: 'nav-users' },
      { href: '/console/redemptions', label: s.redemptions, testId: 'nav-redemptions' },
      { href: '/console/topups', label: s.topUps, testId: 'nav-topups' },
    ];
    if (role >= Role.Root) admin.push({ href: '/console/settings', label: s.settings, testId: 'nav-settings' });
    groups.push({ label: s.admin, items: admin });
  }
  return groups;
}

function SidebarNav({ groups, pathname }: { groups: NavGroup[]; pathname: string }) {
  return (
    <nav className={styles.nav}>
      {groups.map((group) => (
        <div key={group.label} className={styles.navGroup}>
          <div className={styles.navGroupLabel}>{group.label}</div>
          {group.items.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              data-testid={item.testId}
              className={`${styles.navLink} ${pathname === item.href ? styles.navActive : ''}`}
              aria-current={pathname === item.href ? 'page' : undefined}
            >
              {item.label}
            </Link>
          ))}
        </div>
      ))}
    </nav>
  );
}

type State = { kind: 'loading' } | { kind: 'ready'; user: UserView } | { kind: 'error'; message: string };

/**
 * The signed-in area: sidebar (a drawer at phone width), top bar, and the current user from
 * /api/user/self for every page. Without a session it sends the visitor to /login.
 */
export function ConsoleShell({ children }: { children: ReactNode }) {
  const { m } = useI18n();
  const status = useSiteStatus();
  const router = useRouter();
  const pathname = usePathname();
  const [state, setState] = useState<State>({ kind: 'loading' });
  // The drawer is open on the page where it was opened: navigating closes it.
  const [drawerOpenOn, setDrawerOpenOn] = useState<string | null>(null);
  const drawerOpen = drawerOpenOn === pathname;
  const setDrawerOpen = useCallback((open: boolean) => setDrawerOpenOn(open ? pathname : null), [pathname]);
  const [pending, setPending] = useState(false);

  const load = useCallback(async () => {
    if (getUserId() === null) {
      router.replace('/login');
      return;
    }
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
    const user = res.data;
    saveSession({ id: user.id, username: user.username, display_name: user.display_name, role: user.role, status: user.status, group: user.group });
    setState({ kind: 'ready', user });
  }, [router, m]);

  useEffect(() => {
    // load() sets state only after awaiting /api/user/self, never synchronously in the effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);

  async function logout() {
    setPending(true);
    await api.get('/api/user/logout'); // clears the session cookie
    clearSession();
    setPending(false);
    router.replace('/login');
  }

  const role = state.kind === 'ready' ? state.user.role : Role.Common;
  const groups = useMemo(() => consoleNav(m, role), [m, role]);
  const context = useMemo(() => (state.kind === 'ready' ? { user: state.user, reload: load } : null), [state, load]);
  const name = status?.system_name || m.common.productName;

  return (
    <div className={styles.shell}>
      <aside className={styles.sidebar} data-testid="sidebar">
        <div className={styles.sidebarInner}>
          <Link href="/" className={styles.brand}>
            {name}
          </Link>
          <SidebarNav groups={groups} pathname={pathname} />
        </div>
      </aside>
      <div className={styles.body}>
        <header className={styles.topbar}>
          <Dialog.Root open={drawerOpen} onOpenChange={setDrawerOpen}>
            <Dialog.Trigger className={styles.menuButton} data-testid="menu-button" aria-label={m.ui.openMenu}>
              <span aria-hidden="true">☰</span>
            </Dialog.Trigger>
            <Dialog.Portal>
              <Dialog.Overlay className="dialog-overlay" />
              <Dialog.Content className={styles.drawer} data-testid="nav-drawer">
                <Dialog.Title className={styles.brand}>{name}</Dialog.Title>
                <Dialog.Description className="visually-hidden">{m.nav.menu}</Dialog.Description>
                <SidebarNav groups={groups} pathname={pathname} />
              </Dialog.Content>
            </Dialog.Portal>
          </Dialog.Root>
          <span className={styles.topbarTitle}>{name}</span>
          <div className={styles.topbarActions}>
            <LanguageSwitcher />
            {state.kind === 'ready' ? (
              <span className={`muted ${styles.userName}`} data-testid="current-user">
                {state.user.display_name || state.user.username}
              </span>
            ) : null}
            <button type="button" className="btn btn-sm" onClick={logout} disabled={pending} data-testid="logout">
              {m.nav.logout}
            </button>
          </div>
        </header>
        <main className={styles.content}>
          {state.kind === 'loading' ? <p className="muted">{m.common.loading}</p> : null}
          {state.kind === 'error' ? (
            <div>
              <p className="alert" role="alert">
                {state.message}
              </p>
              <button type="button" className="btn" onClick={() => void load()}>
                {m.console.retry}
              </button>
            </div>
          ) : null}
          {context ? <ConsoleUserContext.Provider value={context}>{children}</ConsoleUserContext.Provider> : null}
        </main>
      </div>
    </div>
  );
}
