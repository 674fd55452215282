'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { UserView } from '@your-api/contracts';
import { api } from '@/lib/api-client';
import { useConsoleUser } from '@/lib/console-user';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { authorizeUrl, isOAuthProvider, oauthButtons, telegramBotName, type OAuthProvider } from '@/lib/oauth';
import { useSiteStatus } from '@/lib/site-context';

type Message = { ok: boolean; text: string } | null;

const TELEGRAM_WIDGET = 'https://telegram.org/js/telegram-widget.js?22';

/** The user column holding each redirect provider's account id. */
const BOUND_FIELD: Record<OAuthProvider, keyof UserView> = { github: 'github_id', oidc: 'oidc_id', linuxdo: 'linux_do_id' };

declare global {
  interface Window {
    onTelegramBind?: (user: Record<string, string | number>) => void;
  }
}

/** Telegram's widget in bind mode: the signed fields go to GET /api/oauth/telegram/bind. */
function TelegramBind({ bot, onDone }: { bot: string; onDone: (message: Message) => void }) {
  const holder = useRef<HTMLDivElement>(null);
  const { m } = useI18n();
  useEffect(() => {
    const node = holder.current;
    if (!node) return;
    window.onTelegramBind = (fields) => {
      void api.get('/api/oauth/telegram/bind', { query: fields }).then((res) =>
        onDone(
          res.success
            ? { ok: true, text: format(m.account.providerBound, { provider: m.account.telegram }) }
            : { ok: false, text: format(m.account.bindFailed, { message: res.message || `HTTP ${res.status}` }) },
        ),
      );
    };
    const script = document.createElement('script');
    script.async = true;
    script.src = TELEGRAM_WIDGET;
    script.setAttribute('data-telegram-login', bot);
    script.setAttribute('data-size', 'medium');
    script.setAttribute('data-request-access', 'write');
    script.setAttribute('data-onauth', 'onTelegramBind(user)');
    node.appendChild(script);
    return () => {
      node.replaceChildren();
      delete window.onTelegramBind;
    };
  }, [bot, m, onDone]);
  return <div ref={holder} data-testid="telegram-bind" />;
}

function BoundBadge({ value, testId }: { value: string; testId: string }) {
  const { m } = useI18n();
  return (
    <span className={`badge ${value ? 'badge-ok' : ''}`} data-testid={testId} data-bound={value ? 'true' : 'false'}>
      {value ? `${m.account.bound}: ${value}` : m.account.notBound}
    </span>
  );
}

/**
 * Profile "bindings": email (bound with a mailed code through /api/oauth/email/bind), the redirect
 * providers /api/status enables (an OAuth flow with intent=bind, coming back through /oauth/<provider>)
 * and Telegram (its widget, then /api/oauth/telegram/bind). Bound ids come from /api/user/self.
 */
export function Bindings() {
  const { m } = useI18n();
  const status = useSiteStatus();
  const { user, reload } = useConsoleUser();
  const boundProvider = useSearchParams().get('bound') ?? '';
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [emailMsg, setEmailMsg] = useState<Message>(null);
  const [providerMsg, setProviderMsg] = useState<Message>(
    isOAuthProvider(boundProvider) ? { ok: true, text: format(m.account.providerBound, { provider: boundProvider }) } : null,
  );
  const buttons = oauthButtons(status);
  const bot = telegramBotName(status);

  async function sendCode() {
    setEmailMsg(null);
    if (!email.trim()) return setEmailMsg({ ok: false, text: m.account.emailRequired });
    const res = await api.get('/api/verification', { query: { email: email.trim() } });
    setEmailMsg(res.success ? { ok: true, text: format(m.account.codeSent, { email: email.trim() }) } : { ok: false, text: res.message || `HTTP ${res.status}` });
  }

  async function bindEmail(e: FormEvent) {
    e.preventDefault();
    const res = await api.post('/api/oauth/email/bind', { email: email.trim(), code: code.trim() });
    setEmailMsg(res.success ? { ok: true, text: m.account.emailBound } : { ok: false, text: format(m.account.bindFailed, { message: res.message || `HTTP ${res.status}` }) });
    if (res.success) {
      setEmail('');
      setCode('');
      await reload();
    }
  }

  async function startBind(provider: OAuthProvider) {
    setProviderMsg(null);
    const res = await api.get<string>('/api/oauth/state', { query: { intent: 'bind' } });
    if (!res.success || typeof res.data !== 'string' || !status) {
      setProviderMsg({ ok: false, text: format(m.account.bindFailed, { message: res.message || `HTTP ${res.status}` }) });
      return;
    }
    window.location.assign(authorizeUrl(provider, status, res.data, window.location.origin));
  }

  // Stable, so the widget's script is not reloaded on every render.
  const telegramDone = useCallback(
    (message: Message) => {
      setProviderMsg(message);
      if (message?.ok) void reload();
    },
    [reload],
  );

  const notice = (msg: Message, testId: string) =>
    msg ? (
      <p className={msg.ok ? 'notice' : 'alert'} role="status" data-testid={testId}>
        {msg.text}
      </p>
    ) : null;

  return (
    <div className="card" data-testid="bindings">
      <h2 style={{ margin: '0 0 4px', fontSize: '1.1rem' }}>{m.account.bindings}</h2>
      <p className="hint" style={{ marginTop: 0 }}>
        {m.account.bindingsHint}
      </p>
      <form className="form-grid" onSubmit={bindEmail} style={{ marginTop: 12 }}>
        <div className="span-2" style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
          <strong>{m.account.emailBinding}</strong>
          <BoundBadge value={user.email} testId="binding-email" />
        </div>
        <div className="field">
          <label htmlFor="bind-email">{m.account.newEmail}</label>
          <div style={{ display: 'flex', gap: 8 }}>
            <input id="bind-email" type="email" className="input" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
            <button type="button" className="btn" onClick={() => void sendCode()} data-testid="bind-send-code">
              {m.account.sendCode}
            </button>
          </div>
        </div>
        <div className="field">
          <label htmlFor="bind-code">{m.account.code}</label>
          <input id="bind-code" className="input" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
        </div>
        <div className="span-2">{notice(emailMsg, 'email-bind-message')}</div>
        <div>
          <button type="submit" className="btn btn-primary" disabled={!email.trim() || !code.trim()}>
            {m.account.bindEmail}
          </button>
        </div>
      </form>
      <div style={{ display: 'grid', gap: 10, marginTop: 16 }}>
        {buttons.map((button) => {
          const value = String(user[BOUND_FIELD[button.provider]] ?? '');
          return (
            <div key={button.provider} style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }} data-testid={`binding-row-${button.provider}`}>
              <strong style={{ minWidth: 80 }}>{button.label}</strong>
              <BoundBadge value={value} testId={`binding-${button.provider}`} />
              <button type="button" className="btn btn-sm" data-provider={button.provider} onClick={() => void startBind(button.provider)}>
                {value ? m.account.rebind : m.account.bind}
              </button>
            </div>
          );
        })}
        {bot ? (
          <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }} data-testid="binding-row-telegram">
            <strong style={{ minWidth: 80 }}>{m.account.telegram}</strong>
            <BoundBadge value={user.telegram_id} testId="binding-telegram" />
            <TelegramBind bot={bot} onDone={telegramDone} />
          </div>
        ) : null}
        {buttons.length === 0 && !bot ? <p className="hint">{m.account.noProviders}</p> : null}
        {notice(providerMsg, 'provider-bind-message')}
      </div>
    </div>
  );
}
