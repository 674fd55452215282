'use client';

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';

/**
 * Cloudflare Turnstile's script, loaded by the browser only while the operator turned the check on
 * (`/api/status` turnstile_check); the widget is rendered explicitly with the site key from status.
 */
export const TURNSTILE_SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit';

interface TurnstileApi {
  render(container: HTMLElement, options: Record<string, unknown>): string | undefined;
  reset(widgetId?: string): void;
  remove(widgetId?: string): void;
}

declare global {
  interface Window {
    turnstile?: TurnstileApi;
  }
}

let scriptPromise: Promise<TurnstileApi> | null = null;

/** Adds the script once per page; resolves with `window.turnstile`. */
function loadTurnstile(): Promise<TurnstileApi> {
  if (window.turnstile) return Promise.resolve(window.turnstile);
  scriptPromise ??= new Promise<TurnstileApi>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = TURNSTILE_SCRIPT;
    script.async = true;
    script.onload = () => (window.turnstile ? resolve(window.turnstile) : reject(new Error('Turnstile did not load')));
    script.onerror = () => {
      scriptPromise = null;
      reject(new Error('Turnstile did not load'));
    };
    document.head.appendChild(script);
  });
  return scriptPromise;
}

interface WidgetProps {
  siteKey: string;
  /** A token is waiting to be sent (shown as data-state for tests and styling). */
  ready: boolean;
  onToken: (token: string) => void;
  widgetRef: { current: string | null };
}

function TurnstileWidget({ siteKey, ready, onToken, widgetRef }: WidgetProps) {
  const holder = useRef<HTMLDivElement>(null);
  const { m } = useI18n();
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    let cancelled = false;
    const node = holder.current;
    void loadTurnstile()
      .then((turnstile) => {
        if (cancelled || !node) return;
        setLoaded(true);
        widgetRef.current =
          turnstile.render(node, {
            sitekey: siteKey,
            callback: (token: string) => onToken(token),
            'expired-callback': () => onToken(''),
            'error-callback': () => onToken(''),
          }) ?? null;
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      if (widgetRef.current && window.turnstile) window.turnstile.remove(widgetRef.current);
      widgetRef.current = null;
    };
  }, [siteKey, onToken, widgetRef]);
  return (
    <div data-testid="turnstile" data-state={ready ? 'ready' : 'pending'}>
      <div ref={holder} />
      {loaded ? null : <p className="muted">{m.account.turnstileLoading}</p>}
    </div>
  );
}

export interface TurnstileState {
  /** The check is on: send `query` with the guarded request. */
  enabled: boolean;
  token: string;
  /** `{turnstile: token}` while the check is on, else nothing. */
  query: Record<string, string> | undefined;
  /** The widget to place in the form (null while the check is off). */
  widget: ReactNode;
  /** A token is good once: call after each guarded request, for a fresh one. */
  reset(): void;
}

/** Turnstile for a sign-in form (login, register, password reset), as /api/status asks. */
export function useTurnstile(): TurnstileState {
  const status = useSiteStatus();
  const siteKey = typeof status?.['turnstile_site_key'] === 'string' ? status['turnstile_site_key'] : '';
  const enabled = status?.['turnstile_check'] === true && siteKey !== '';
  const [token, setToken] = useState('');
  const widgetRef = useRef<string | null>(null);
  const reset = useCallback(() => {
    setToken('');
    if (widgetRef.current && window.turnstile) window.turnstile.reset(widgetRef.current);
  }, []);
  return {
    enabled,
    token,
    query: enabled ? { turnstile: token } : undefined,
    widget: enabled ? <TurnstileWidget siteKey={siteKey} ready={token !== ''} onToken={setToken} widgetRef={widgetRef} /> : null,
    reset,
  };
}
