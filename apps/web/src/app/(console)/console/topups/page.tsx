import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { TopUpsPage } from './TopUpsPage';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.topUpOnline.ordersAll };
}

export default function Page() {
  return <TopUpsPage />;
}
