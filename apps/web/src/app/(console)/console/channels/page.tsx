import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { ChannelsPage } from './ChannelsPage';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.channels.title };
}

export default function Page() {
  return <ChannelsPage />;
}
