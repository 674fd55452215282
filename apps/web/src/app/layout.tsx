import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { connection } from 'next/server';
import { I18nProvider } from '@/lib/i18n/context';
import { getLocale } from '@/lib/i18n/server';
import { getStatus } from '@/lib/server-api';
import { SiteProvider } from '@/lib/site-context';
import { dictionaries } from '@/lib/i18n/dictionary';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  await connection(); // request-time only: never call the API during `next build`
  const status = await getStatus();
  const name = status?.system_name || dictionaries.en.common.productName;
  return {
    title: { default: name, template: `%s · ${name}` },
    description: dictionaries.en.home.heroSubtitle,
  };
}

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale(); // reads cookies: makes every page request-time
  const status = await getStatus();
  return (
    <html lang={locale === 'zh' ? 'zh-CN' : 'en'}>
      <body>
        <I18nProvider initialLocale={locale}>
          <SiteProvider status={status}>{children}</SiteProvider>
        </I18nProvider>
      </body>
    </html>
  );
}
