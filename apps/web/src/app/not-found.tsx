import Link from 'next/link';
import { getMessages } from '@/lib/i18n/server';

export default async function NotFound() {
  const { m } = await getMessages();
  return (
    <main className="container" style={{ padding: '64px 16px', textAlign: 'center' }}>
      <h1>{m.notFound.title}</h1>
      <p className="muted">{m.notFound.body}</p>
      <Link className="btn" href="/">
        {m.common.backHome}
      </Link>
    </main>
  );
}
