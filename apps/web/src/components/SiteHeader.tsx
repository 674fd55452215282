'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { useI18n } from '@/lib/i18n/context';
import { headerNavVisibility } from '@/lib/site-content';
import { useLoggedIn } from '@/lib/use-browser';
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
  // The menu is open on the page where it was opened: navigating closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const loggedIn = useLoggedIn();

  const name = status?.system_name || m.common.productName;
  const logo = typeof status?.['logo'] === 'string' ? (status['logo'] as string) : '';
  // The operator switches header links off with the HeaderNavModules option.
  const shown = headerNavVisibility(status?.['HeaderNavModules']);
  const items: NavItem[] =
    nav ??
    [
      shown.home ? { href: '/', label: m.nav.home } : null,
      shown.console ? { href: '/console', label: m.nav.console } : null,
      shown.pricing ? { href: '/pricing', label: m.nav.pricing } : null,
      shown.docs ? { href: '/docs', label: m.nav.docs } : null,
      { href: '/status', label: m.nav.status },
    ].filter((item): item is NavItem => item !== null);

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
          onClick={() => setOpenOn(open ? null : pathname)}
        >
          <span aria-hidden="true">☰</span>
          <span className="visually-hidden">{m.nav.menu}</span>
        </button>
        <nav id="site-nav" className={`${styles.nav} ${open ? styles.open : ''}`}>
          {items.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              data-nav={item.href}
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
