'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { api } from '@/lib/api-client';
import { pickUser, type LoginData } from '@/lib/login-result';
import { clearSession, saveSession } from '@/lib/session';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { authorizeUrl, oauthButtons, telegramBotName, type OAuthProvider } from '@/lib/oauth';
import { useSiteStatus } from '@/lib/site-context';
import styles from './auth.module.css';

/** Telegram's own login widget script, loaded in the browser only when the operator turned Telegram sign-in on. */
const TELEGRAM_WIDGET = 'https://telegram.org/js/telegram-widget.js?22';

/** The fields Telegram's widget hands its callback (all signed by the bot token's hash). */
type TelegramAuthData = Record<string, string | number>;

declare global {
  interface Window {
    onTelegramAuth?: (user: TelegramAuthData) => void;
  }
}

/**
 * Telegram's widget calls `onTelegramAuth` in this page with the signed fields; the page then signs
 * in through the API itself, so it can remember the user as a password login does (a redirect to
 * the JSON route would leave the browser on a bare JSON page).
 */
function TelegramLogin({ bot, onError }: { bot: string; onError: (message: string) => void }) {
  const holder = useRef<HTMLDivElement>(null);
  const router = useRouter();
  const { m } = useI18n();
  useEffect(() => {
    const node = holder.current;
    if (!node) return;
    window.onTelegramAuth = (fields) => {
      void (async () => {
        clearSession();
        const res = await api.get<LoginData>('/api/oauth/telegram/login', { query: fields });
        const user = res.success ? pickUser(res.data) : null;
        if (!user) {
          onError(format(m.oauth.unavailable, { message: res.message || `HTTP ${res.status}` }));
          return;
        }
        saveSession(user);
        router.push('/console');
      })();
    };
    const script = document.createElement('script');
    script.async = true;
    script.src = TELEGRAM_WIDGET;
    script.setAttribute('data-telegram-login', bot);
    script.setAttribute('data-size', 'large');
    script.setAttribute('data-request-access', 'write');
    script.setAttribute('data-onauth', 'onTelegramAuth(user)');
    node.appendChild(script);
    return () => {
      node.replaceChildren();
      delete window.onTelegramAuth;
    };
  }, [bot, m, onError, router]);
  return <div ref={holder} data-testid="telegram-login" />;
}

/**
 * The sign-in providers /api/status lists (GitHub, OIDC, LinuxDO, Telegram). A redirect provider
 * first asks GET /api/oauth/state for a state (with the invite code, if any), then leaves for the
 * provider, which comes back to /oauth/<provider>.
 */
export function OAuthButtons({ aff }: { aff?: string }) {
  const { m } = useI18n();
  const status = useSiteStatus();
  const [error, setError] = useState<string | null>(null);
  const buttons = oauthButtons(status);
  const bot = telegramBotName(status);
  if (!status || (buttons.length === 0 && !bot)) return null;

  async function start(provider: OAuthProvider) {
    setError(null);
    const res = await api.get<string>('/api/oauth/state', { query: { aff: aff || undefined } });
    if (!res.success || typeof res.data !== 'string' || !status) {
      setError(format(m.oauth.unavailable, { message: res.message || `HTTP ${res.status}` }));
      return;
    }
    window.location.assign(authorizeUrl(provider, status, res.data, window.location.origin));
  }

  return (
    <div className={styles.oauth} data-testid="oauth-buttons">
      <p className={`muted ${styles.divider}`}>{m.oauth.or}</p>
      {buttons.map((b) => (
        <button key={b.provider} type="button" className="btn" data-provider={b.provider} onClick={() => void start(b.provider)}>
          {format(m.oauth.continueWith, { provider: b.label })}
        </button>
      ))}
      {bot ? <TelegramLogin bot={bot} onError={setError} /> : null}
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
