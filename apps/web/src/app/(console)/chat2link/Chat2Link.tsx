'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { TokenStatus, type Page, type TokenView } from '@your-api/contracts';
import { useI18n } from '@/lib/i18n/context';
import { chatLinksOf, fillChatLink } from '@/lib/site-content';
import { useSiteStatus } from '@/lib/site-context';
import { useApi } from '@/lib/use-api';
import { useOrigin } from '@/lib/use-browser';

/**
 * New API's /chat2link: opens the first configured chat link (option Chats) with the user's first
 * enabled API key and this site's address filled in; with no chat link configured, the
 * playground (which needs no key).
 */
export function Chat2Link() {
  const { m } = useI18n();
  const status = useSiteStatus();
  const router = useRouter();
  const origin = useOrigin();
  const tokens = useApi<Page<TokenView>>('/api/token/', { p: 1, page_size: 100 });
  const token = (tokens.data?.items ?? []).find((t) => t.status === TokenStatus.Enabled);
  const link = chatLinksOf(status?.['chats'])[0];
  const target = token && link && origin ? fillChatLink(link.url, { key: `sk-${token.key.replace(/^sk-/, '')}`, address: origin }) : null;
  const badLink = Boolean(token && link && origin && !target);

  useEffect(() => {
    if (!token) return;
    if (target) window.location.assign(target);
    else if (!link) router.replace('/console/playground');
  }, [token, link, target, router]);

  return (
    <section>
      <h1>{m.chat2link.title}</h1>
      {tokens.loading ? <p className="muted">{m.common.loading}</p> : null}
      {tokens.error ? <p className="alert">{tokens.error}</p> : null}
      {tokens.data && !token ? (
        <p className="alert" data-testid="chat2link-no-key">
          {m.chat2link.noKey} <Link href="/console/tokens">{m.chat2link.createKey}</Link>
        </p>
      ) : null}
      {badLink ? <p className="alert">{m.chat2link.badLink}</p> : null}
    </section>
  );
}
