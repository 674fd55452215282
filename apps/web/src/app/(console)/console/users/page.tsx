import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { UsersPage } from './UsersPage';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.users.title };
}

export default function Page() {
  return <UsersPage />;
}
