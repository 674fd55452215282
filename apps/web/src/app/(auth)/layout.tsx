import type { ReactNode } from 'react';
import { SiteHeader } from '@/components/SiteHeader';
import styles from './auth.module.css';

/** Sign-in pages (later: register, reset, OAuth callbacks, setup). */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SiteHeader />
      <main className={styles.main}>{children}</main>
    </>
  );
}
