import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { Playground } from './Playground';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.playground.title };
}

export default function Page() {
  return <Playground />;
}
