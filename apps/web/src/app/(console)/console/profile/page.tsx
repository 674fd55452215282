import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { ProfilePage } from './ProfilePage';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.profile.title };
}

export default function Page() {
  return <ProfilePage />;
}
