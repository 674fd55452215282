import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { TokensPage } from './TokensPage';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.tokens.title };
}

export default function Page() {
  return <TokensPage />;
}
