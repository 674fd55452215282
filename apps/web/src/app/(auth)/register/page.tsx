import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { RegisterForm } from './RegisterForm';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.register.title };
}

export default function RegisterPage() {
  return <RegisterForm />;
}
