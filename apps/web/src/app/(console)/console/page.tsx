import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { Dashboard } from './Dashboard';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.dashboard.title };
}

export default function ConsolePage() {
  return <Dashboard />;
}
