'use client';

import { useState, type FormEvent } from 'react';
import { REDEMPTION_MAX_COUNT, REDEMPTION_NAME_MAX_LENGTH, type CreateRedemptionRequest, type RedemptionView, type UpdateRedemptionRequest } from '@your-api/contracts';
import { CopyButton } from '@/components/ui/CopyButton';
import { Modal } from '@/components/ui/Modal';
import { api } from '@/lib/api-client';
import { DEFAULT_QUOTA_PER_UNIT, formatUsdAmount } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';

type Expiry = 'never' | '1d' | '7d' | '30d' | 'custom';
const EXPIRY_SECONDS: Record<Exclude<Expiry, 'never' | 'custom'>, number> = { '1d': 86400, '7d': 7 * 86400, '30d': 30 * 86400 };
type Unit = 'usd' | 'quota';

/** `datetime-local` value for unix seconds, in the browser's time zone. */
function toLocalInput(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const unixNow = (): number => Math.floor(Date.now() / 1000);

/** The expiry to send: 0 for never, unix seconds otherwise; null when the custom time is not filled in. */
function expiredTimeOf(expiry: Expiry, expiresAt: string, code: RedemptionView | null, now: number): number | null {
  if (expiry === 'never') return 0;
  // An untouched expiry of an edited code stays exact (the input only shows minutes).
  if (code && expiry === 'custom' && expiresAt === toLocalInput(code.expired_time)) return code.expired_time;
  if (expiry === 'custom') {
    const at = expiresAt ? Math.floor(new Date(expiresAt).getTime() / 1000) : NaN;
    return Number.isFinite(at) ? at : null;
  }
  return now + EXPIRY_SECONDS[expiry];
}

/**
 * Create a batch of codes (name, amount in USD or quota units, count, expiry), then show the new
 * keys with copy buttons; or edit one code's name, amount and expiry.
 */
export function RedemptionDialog({ code, onClose, onSaved }: { code: RedemptionView | null; onClose: () => void; onSaved: () => void }) {
  const { m } = useI18n();
  const t = m.redemptions;
  const status = useSiteStatus();
  const perUnit = Number(status?.quota_per_unit) > 0 ? Number(status?.quota_per_unit) : DEFAULT_QUOTA_PER_UNIT;
  const [name, setName] = useState(code?.name ?? '');
  const [unit, setUnit] = useState<Unit>(status?.['display_in_currency'] === false ? 'quota' : 'usd');
  const [amount, setAmount] = useState(() => {
    const quota = code?.quota ?? perUnit;
    return status?.['display_in_currency'] === false ? String(quota) : String(quota / perUnit);
  });
  const [count, setCount] = useState('1');
  const [expiry, setExpiry] = useState<Expiry>(code && code.expired_time !== 0 ? 'custom' : 'never');
  const [expiresAt, setExpiresAt] = useState(code && code.expired_time !== 0 ? toLocalInput(code.expired_time) : '');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [keys, setKeys] = useState<string[] | null>(null);

  const quota = unit === 'usd' ? Math.round((Number(amount) || 0) * perUnit) : Math.floor(Number(amount) || 0);

  function changeUnit(next: Unit) {
    // Keep the amount's worth when switching the unit it is typed in.
    setAmount(next === 'usd' ? String(quota / perUnit) : String(quota));
    setUnit(next);
  }

  /** The form's first problem in the user's language (the API checks the same and says so in English). */
  function problem(expired: number | null, now: number): string | null {
    const trimmed = name.trim();
    if (!trimmed || Array.from(trimmed).length > REDEMPTION_NAME_MAX_LENGTH) return t.bad.name;
    if (!(quota >= 1)) return t.bad.quota;
    const n = Number(count);
    if (!code && !(Number.isInteger(n) && n >= 1 && n <= REDEMPTION_MAX_COUNT)) return t.bad.count;
    const unchangedExpiry = code !== null && expired === code.expired_time;
    if (expired === null || (expired !== 0 && expired <= now && !unchangedExpiry)) return t.bad.expiry;
    return null;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const now = unixNow();
    const expired = expiredTimeOf(expiry, expiresAt, code, now);
    const bad = problem(expired, now);
    if (bad) {
      setError(bad);
      return;
    }
    setPending(true);
    setError(null);
    if (code) {
      const body: UpdateRedemptionRequest = { id: code.id, name: name.trim(), quota, expired_time: expired ?? 0 };
      const res = await api.put<RedemptionView>('/api/redemption/', body);
      setPending(false);
      if (!res.success) setError(res.message);
      else onSaved();
      return;
    }
    const body: CreateRedemptionRequest = { name: name.trim(), quota, count: Number(count), expired_time: expired ?? 0 };
    const res = await api.post<string[]>('/api/redemption/', body);
    setPending(false);
    if (!res.success || !res.data) {
      setError(res.message);
      return;
    }
    setKeys(res.data);
  }

  if (keys) {
    return (
      <Modal
        open
        onOpenChange={(open) => !open && onSaved()}
        title={t.createdTitle}
        description={t.createdHint}
        footer={
          <>
            <CopyButton text={keys.join('\n')} label={t.copyAll} testId="redemption-copy-all" className="btn" />
            <button type="button" className="btn btn-primary" onClick={onSaved} data-testid="redemption-done">
              {t.done}
            </button>
          </>
        }
      >
        <ul data-testid="redemption-created" style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 8 }}>
          {keys.map((key) => (
            <li key={key} className="row-actions" style={{ alignItems: 'center', flexWrap: 'wrap' }}>
              <code className="mono" data-testid="redemption-created-key" style={{ overflowWrap: 'anywhere' }}>
                {key}
              </code>
              <CopyButton text={key} label={t.copyCode} testId="redemption-copy-key" />
            </li>
          ))}
        </ul>
      </Modal>
    );
  }

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={code ? format(t.editTitle, { name: code.name }) : t.createTitle}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {m.ui.cancel}
          </button>
          <button type="submit" form="redemption-form" className="btn btn-primary" disabled={pending} data-testid="redemption-submit">
            {pending ? m.ui.saving : code ? m.ui.save : m.ui.create}
          </button>
        </>
      }
    >
      <form id="redemption-form" className="form-grid" onSubmit={submit} noValidate>
        <div className="field span-2">
          <label htmlFor="redemption-name">{t.name}</label>
          <input id="redemption-name" className="input" maxLength={REDEMPTION_NAME_MAX_LENGTH} value={name} onChange={(e) => setName(e.target.value)} />
          <p className="hint">{t.nameHint}</p>
        </div>
        <div className="field">
          <label htmlFor="redemption-amount">{t.amount}</label>
          <input id="redemption-amount" type="number" min={0} step="any" className="input" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="redemption-unit">{t.quotaUnit}</label>
          <select id="redemption-unit" className="input" value={unit} onChange={(e) => changeUnit(e.target.value as Unit)}>
            <option value="usd">{t.unitUsd}</option>
            <option value="quota">{t.unitQuota}</option>
          </select>
        </div>
        <p className="hint span-2" data-testid="redemption-quota-hint" style={{ marginTop: -6 }}>
          {format(t.quotaHint, { amount: formatUsdAmount(quota / perUnit), quota: quota.toLocaleString('en-US'), perUnit: perUnit.toLocaleString('en-US') })}
        </p>
        {!code ? (
          <div className="field">
            <label htmlFor="redemption-count">{t.count}</label>
            <input id="redemption-count" type="number" min={1} max={REDEMPTION_MAX_COUNT} step={1} className="input" value={count} onChange={(e) => setCount(e.target.value)} />
            <p className="hint">{t.countHint}</p>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="redemption-expiry">{t.expiry}</label>
          <select id="redemption-expiry" className="input" value={expiry} onChange={(e) => setExpiry(e.target.value as Expiry)}>
            <option value="never">{t.expiryNever}</option>
            <option value="1d">{t.expiry1d}</option>
            <option value="7d">{t.expiry7d}</option>
            <option value="30d">{t.expiry30d}</option>
            <option value="custom">{t.expiryCustom}</option>
          </select>
        </div>
        {expiry === 'custom' ? (
          <div className="field">
            <label htmlFor="redemption-expires-at">{t.expiryAt}</label>
            <input id="redemption-expires-at" type="datetime-local" className="input" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
          </div>
        ) : null}
        {error ? (
          <p className="alert span-2" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </Modal>
  );
}
