import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { RedemptionsPage } from './RedemptionsPage';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.redemptions.title };
}

export default function Page() {
  return <RedemptionsPage />;
}
