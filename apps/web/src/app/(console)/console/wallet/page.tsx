import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { WalletPage } from './WalletPage';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.wallet.title };
}

export default function Page() {
  return <WalletPage />;
}
