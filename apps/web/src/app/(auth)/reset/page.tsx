import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { ResetRequestForm } from './ResetRequestForm';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.account.resetTitle };
}

export default function ResetPage() {
  return <ResetRequestForm />;
}
