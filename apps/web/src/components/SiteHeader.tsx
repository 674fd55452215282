'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { useI18n } from '@/lib/i18n/context';
import { getUserId } from '@/lib/session';
import { useSiteStatus } from '@/lib/site-context';
import { LanguageSwitcher } from './LanguageSwitcher';
import styles from './SiteHeader.module.css';

export interface NavItem {
  href: string;
  label: string;
}

/** Top bar shared by the public pages and the console. */
export function SiteHeader({ nav, actions }: { nav?: NavItem[]; actions?: ReactNode }) {
  const { m } = useI18n();
  const status = useSiteStatus();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [loggedIn, setLoggedIn] = useState(false);

  // localStorage is only readable after hydration.
  useEffect(() => setLoggedIn(getUserId() !== null), [pathname]);
  useEffect(() => setOpen(false), [pathname]);

  const name = status?.system_name || m.common.productName;
  const logo = typeof status?.['logo'] === 'string' ? (status['logo'] as string) : '';
  const items: NavItem[] = nav ?? [
    { href: '/', label: m.nav.home },
    { href: '/pricing', label: m.nav.pricing },
    { href: '/docs', label: m.nav.docs },
    { href: '/status', label: m.nav.status },
  ];

  return (
    <header className={styles.header}>
      <div className={`container ${styles.bar}`}>
        <Link href="/" className={styles.brand}>
          {logo ? (
            // An admin-configured URL (option `Logo`); loaded by the browser, not at build time.
            // eslint-disable-next-line @next/next/no-img-element
            <img src={logo} alt="" className={styles.logo} />
          ) : null}
          <span>{name}</span>
        </Link>
        <button
          type="button"
          className={styles.menuButton}
          aria-expanded={open}
          aria-controls="site-nav"
          onClick={() => setOpen((v) => !v)}
        >
          <span aria-hidden="true">☰</span>
          <span className="visually-hidden">{m.nav.menu}</span>
        </button>
        <nav id="site-nav" className={`${styles.nav} ${open ? styles.open : ''}`}>
          {items.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              className={`${styles.link} ${pathname === item.href ? styles.active : ''}`}
            >
              {item.label}
            </Link>
          ))}
          <div className={styles.actions}>
            <LanguageSwitcher />
            {actions ??
              (loggedIn ? (
                <Link className="btn btn-primary" href="/console">
                  {m.nav.console}
                </Link>
              ) : (
                <Link className="btn btn-primary" href="/login">
                  {m.nav.login}
                </Link>
              ))}
          </div>
        </nav>
      </div>
    </header>
  );
}
