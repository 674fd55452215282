import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { ApiReference } from './ApiReference';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.apiDocs.title };
}

export default function ApiDocsPage() {
  return <ApiReference />;
}
