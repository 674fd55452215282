import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { Chat2Link } from './Chat2Link';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.chat2link.title };
}

export default function Chat2LinkPage() {
  return <Chat2Link />;
}
