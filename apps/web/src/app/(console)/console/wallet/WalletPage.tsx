'use client';

import { useEffect, useState } from 'react';
import { CopyButton } from '@/components/ui/CopyButton';
import { api } from '@/lib/api-client';
import { useConsoleUser } from '@/lib/console-user';
import { formatQuota } from '@/lib/format';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';
import { useApi } from '@/lib/use-api';
import { useOrigin } from '@/lib/use-browser';
import styles from '../../console.module.css';

/** Balance, the invite link and its rewards (moved to the balance on request). */
export function WalletPage() {
  const { m } = useI18n();
  const status = useSiteStatus();
  const { user, reload } = useConsoleUser();
  const aff = useApi<string>('/api/user/aff');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const origin = useOrigin();
  useEffect(() => {
    void reload();
  }, [reload]);

  const topUpLink = typeof status?.['top_up_link'] === 'string' ? (status['top_up_link'] as string) : '';
  const inviteLink = aff.data && origin ? `${origin}/register?aff=${aff.data}` : '';

  async function transfer() {
    const res = await api.post('/api/user/aff_transfer', { quota: user.aff_quota });
    setMessage({ ok: res.success, text: res.success ? m.ui.saved : res.message });
    await reload();
  }

  const cards: Array<[string, string]> = [
    [m.wallet.balance, formatQuota(user.quota, status)],
    [m.wallet.used, formatQuota(user.used_quota, status)],
    [m.wallet.requests, user.request_count.toLocaleString('en-US')],
    [m.wallet.affCount, String(user.aff_count)],
    [m.wallet.affQuota, formatQuota(user.aff_quota, status)],
    [m.wallet.affHistory, formatQuota(user.aff_history_quota, status)],
  ];

  return (
    <section>
      <h1 className={styles.heading} style={{ marginBottom: 16 }}>
        {m.wallet.title}
      </h1>
      <dl className={styles.grid}>
        {cards.map(([label, value]) => (
          <div key={label} className={`card ${styles.stat}`}>
            <dt className="muted">{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <div style={{ display: 'grid', gap: 16 }}>
        <div className="card">
          <h2 style={{ margin: '0 0 8px', fontSize: '1.1rem' }}>{m.wallet.topUp}</h2>
          {topUpLink ? (
            <a className="btn btn-primary" href={topUpLink} target="_blank" rel="noreferrer">
              {m.wallet.topUp}
            </a>
          ) : (
            <p className="muted" style={{ margin: 0 }}>
              {m.wallet.topUpHint}
            </p>
          )}
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
