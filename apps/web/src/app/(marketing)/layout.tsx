import type { ReactNode } from 'react';
import { SiteFooter } from '@/components/SiteFooter';
import { SiteHeader } from '@/components/SiteHeader';
import { getMessages } from '@/lib/i18n/server';
import { getStatus } from '@/lib/server-api';

/** Public pages: home, pricing, status (later: about, rankings…). */
export default async function MarketingLayout({ children }: { children: ReactNode }) {
  const { m } = await getMessages();
  const status = await getStatus();
  return (
    <div className="site-page">
      <SiteHeader />
      <main>{children}</main>
      <SiteFooter name={status?.system_name || m.common.productName} />
    </div>
  );
}
