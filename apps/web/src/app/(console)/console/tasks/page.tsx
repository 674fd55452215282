import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { TasksPage } from './TasksPage';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.tasks.title };
}

export default function Page() {
  return <TasksPage />;
}
