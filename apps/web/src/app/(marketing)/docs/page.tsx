import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { QuickStart } from './QuickStart';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.docs.title };
}

export default function DocsPage() {
  return <QuickStart />;
}
