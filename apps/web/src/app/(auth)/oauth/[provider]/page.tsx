import type { Metadata } from 'next';
import { getMessages } from '@/lib/i18n/server';
import { OAuthCallback } from './OAuthCallback';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.oauth.callbackTitle };
}

export default async function OAuthCallbackPage({ params }: { params: Promise<{ provider: string }> }) {
  const { provider } = await params;
  return <OAuthCallback provider={provider} />;
}
