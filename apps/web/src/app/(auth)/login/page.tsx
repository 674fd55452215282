import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { LoginForm } from './LoginForm';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.login.title };
}

export default function LoginPage() {
  return <LoginForm />;
}
