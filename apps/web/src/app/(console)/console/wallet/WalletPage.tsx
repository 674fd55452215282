'use client';

import { useEffect, useState, type FormEvent } from 'react';
import type { TopUpInfoView, TopUpRequest, UserView } from '@your-api/contracts';
import { CopyButton } from '@/components/ui/CopyButton';
import { api } from '@/lib/api-client';
import { useConsoleUser } from '@/lib/console-user';
import { formatQuota } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';
import { useApi } from '@/lib/use-api';
import { useOrigin, useQueryParam } from '@/lib/use-browser';
import styles from '../../console.module.css';
import { OnlineTopUp } from './OnlineTopUp';
import { TopUpOrders } from './TopUpOrders';

/** Redeems a code (POST /api/user/topup) and reports the amount added and the balance after it. */
function RedeemBox({ onRedeemed }: { onRedeemed: () => Promise<void> | void }) {
  const { m } = useI18n();
  const status = useSiteStatus();
  const [key, setKey] = useState('');
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setResult({ ok: false, text: m.wallet.redeemEmpty });
      return;
    }
    setPending(true);
    const body: TopUpRequest = { key: trimmed };
    const res = await api.post<number>('/api/user/topup', body);
    if (!res.success || res.data === undefined) {
      setPending(false);
      setResult({ ok: false, text: res.message });
      return;
    }
    // The balance after the credit, read back rather than added up here (other spending may have moved it).
    const self = await api.get<UserView>('/api/user/self');
    setPending(false);
    setKey('');
    const balance = self.success && self.data ? formatQuota(self.data.quota, status) : '—';
    setResult({ ok: true, text: format(m.wallet.redeemed, { amount: formatQuota(res.data, status), balance }) });
    await onRedeemed();
  }

  return (
    <div className="card">
      <h2 style={{ margin: '0 0 8px', fontSize: '1.1rem' }}>{m.wallet.redeemTitle}</h2>
      <form className="toolbar" onSubmit={submit} style={{ marginBottom: 0 }} data-testid="redeem-form">
        <div className="field">
          <label htmlFor="redeem-key">{m.wallet.redeemLabel}</label>
          <input
            id="redeem-key"
            className="input mono"
            autoComplete="off"
            spellCheck={false}
            placeholder={m.wallet.redeemPlaceholder}
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={pending} data-testid="redeem-submit">
          {pending ? m.wallet.redeeming : m.wallet.redeem}
        </button>
      </form>
      {result ? (
        <p className={result.ok ? 'notice' : 'alert'} role="status" data-testid="redeem-result" data-ok={result.ok}>
          {result.text}
        </p>
      ) : null}
    </div>
  );
}

/** Balance, redeeming codes, the invite link and its rewards (moved to the balance on request). */
export function WalletPage() {
  const { m } = useI18n();
  const status = useSiteStatus();
  const { user, reload } = useConsoleUser();
  const aff = useApi<string>('/api/user/aff');
  const topUpInfo = useApi<TopUpInfoView>('/api/user/topup/info');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [ordersVersion, setOrdersVersion] = useState(0);
  // Back from Stripe Checkout: ?stripe=success|cancel.
  const stripeReturn = useQueryParam('stripe');
  const origin = useOrigin();
  useEffect(() => {
    void reload();
  }, [reload]);
  const online = topUpInfo.data && (topUpInfo.data.enable_online_topup || topUpInfo.data.enable_stripe_topup) ? topUpInfo.data : null;

  const topUpLink = typeof status?.['top_up_link'] === 'string' ? (status['top_up_link'] as string) : '';
  const inviteLink = aff.data && origin ? `${origin}/register?aff=${aff.data}` : '';

  async function transfer() {
    const res = await api.post('/api/user/aff_transfer', { quota: user.aff_quota });
    setMessage({ ok: res.success, text: res.success ? m.ui.saved : res.message });
    await reload();
  }

  const cards: Array<[string, string, string]> = [
    [m.wallet.balance, formatQuota(user.quota, status), 'wallet-balance'],
    [m.wallet.used, formatQuota(user.used_quota, status), 'wallet-used'],
    [m.wallet.requests, user.request_count.toLocaleString('en-US'), 'wallet-requests'],
    [m.wallet.affCount, String(user.aff_count), 'wallet-aff-count'],
    [m.wallet.affQuota, formatQuota(user.aff_quota, status), 'wallet-aff-quota'],
    [m.wallet.affHistory, formatQuota(user.aff_history_quota, status), 'wallet-aff-history'],
  ];

  return (
    <section>
      <h1 className={styles.heading} style={{ marginBottom: 16 }}>
        {m.wallet.title}
      </h1>
      <dl className={styles.grid}>
        {cards.map(([label, value, testId]) => (
          <div key={label} className={`card ${styles.stat}`}>
            <dt className="muted">{label}</dt>
            <dd data-testid={testId} title={value}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <div style={{ display: 'grid', gap: 16, gridTemplateColumns: 'minmax(0, 1fr)' }}>
        <RedeemBox onRedeemed={reload} />
        <div className="card">
          <h2 style={{ margin: '0 0 8px', fontSize: '1.1rem' }}>{online ? m.topUpOnline.title : m.wallet.topUp}</h2>
          {stripeReturn === 'success' || stripeReturn === 'cancel' ? (
            <p className={stripeReturn === 'success' ? 'notice' : 'alert'} role="status" data-testid="stripe-return">
              {stripeReturn === 'success' ? m.topUpOnline.stripeReturned : m.topUpOnline.stripeCancelled}
            </p>
          ) : null}
          {online ? <OnlineTopUp info={online} onOrdered={() => setOrdersVersion((v) => v + 1)} /> : null}
          {topUpLink ? (
            <a className="btn" href={topUpLink} target="_blank" rel="noreferrer" style={online ? { marginTop: 12 } : undefined}>
              {m.wallet.topUp}
            </a>
          ) : null}
          {!online && !topUpLink ? (
            <p className="muted" style={{ margin: 0 }} data-testid="topup-unavailable">
              {topUpInfo.loading ? m.common.loading : m.wallet.topUpHint}
            </p>
          ) : null}
        </div>
        <div className="card">
          <h2 style={{ margin: '0 0 8px', fontSize: '1.1rem' }}>{m.topUpOnline.ordersTitle}</h2>
          <TopUpOrders scope="self" version={ordersVersion} />
        </div>
        <div className="card">
          <h2 style={{ margin: '0 0 8px', fontSize: '1.1rem' }}>{m.wallet.affCode}</h2>
          {inviteLink ? (
            <div className="row-actions" style={{ alignItems: 'center', flexWrap: 'wrap' }}>
              <code data-testid="invite-link">{inviteLink}</code>
              <CopyButton text={inviteLink} />
            </div>
          ) : (
            <p className="muted">{aff.error ?? m.common.loading}</p>
          )}
          {message ? (
            <p className={message.ok ? 'notice' : 'alert'} role="status">
              {message.text}
            </p>
          ) : null}
          <div className={styles.actions}>
            <button type="button" className="btn" disabled={user.aff_quota <= 0} onClick={() => void transfer()}>
              {m.wallet.transfer}
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}
