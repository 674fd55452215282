import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { SettingsPage } from './SettingsPage';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.settings.title };
}

export default function Page() {
  return <SettingsPage />;
}
