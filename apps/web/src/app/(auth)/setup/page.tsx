import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { SetupForm } from './SetupForm';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.setup.title };
}

export default function SetupPage() {
  return <SetupForm />;
}
