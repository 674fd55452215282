import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { ConsoleOverview } from './ConsoleOverview';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.console.title };
}

export default function ConsolePage() {
  return <ConsoleOverview />;
}
