import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { ResetConfirm } from './ResetConfirm';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.account.confirmTitle };
}

export default function ResetConfirmPage() {
  return <ResetConfirm />;
}
