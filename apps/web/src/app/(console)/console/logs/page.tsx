import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { LogsPage } from './LogsPage';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.logs.title };
}

export default function Page() {
  return <LogsPage />;
}
