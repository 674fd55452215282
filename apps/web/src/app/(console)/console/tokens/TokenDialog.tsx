'use client';

import { useState, type FormEvent } from 'react';
import type { TokenView, UsableGroupView } from '@your-api/contracts';
import { Modal } from '@/components/ui/Modal';
import { api } from '@/lib/api-client';
import { DEFAULT_QUOTA_PER_UNIT, formatUsdAmount } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';

type Expiry = 'never' | '1h' | '1d' | '30d' | 'custom';
const EXPIRY_SECONDS: Record<Exclude<Expiry, 'never' | 'custom'>, number> = { '1h': 3600, '1d': 86400, '30d': 30 * 86400 };

/** `datetime-local` value for unix seconds, in the browser's time zone. */
function toLocalInput(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Create or edit an API key: name, expiry, quota or unlimited, model limits, IP allow-list, group. */
export function TokenDialog({
  token,
  groups,
  models,
  onClose,
  onSaved,
}: {
  token: TokenView | null;
  groups: Record<string, UsableGroupView>;
  models: string[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { m } = useI18n();
  const status = useSiteStatus();
  const perUnit = Number(status?.quota_per_unit) > 0 ? Number(status?.quota_per_unit) : DEFAULT_QUOTA_PER_UNIT;
  const [name, setName] = useState(token?.name ?? '');
  const [expiry, setExpiry] = useState<Expiry>(token && token.expired_time !== -1 ? 'custom' : 'never');
  const [expiresAt, setExpiresAt] = useState(token && token.expired_time !== -1 ? toLocalInput(token.expired_time) : '');
  const [unlimited, setUnlimited] = useState(token?.unlimited_quota ?? true);
  const [quota, setQuota] = useState(String(token?.remain_quota ?? perUnit));
  const [limitModels, setLimitModels] = useState(token?.model_limits_enabled ?? false);
  const [chosen, setChosen] = useState<Set<string>>(new Set((token?.model_limits ?? '').split(',').filter(Boolean)));
  const [allowIps, setAllowIps] = useState(token?.allow_ips ?? '');
  const [group, setGroup] = useState(token?.group ?? '');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function expiredTime(): number {
    if (expiry === 'never') return -1;
    if (expiry === 'custom') return expiresAt ? Math.floor(new Date(expiresAt).getTime() / 1000) : -1;
    return Math.floor(Date.now() / 1000) + EXPIRY_SECONDS[expiry];
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) {
      setError(m.tokens.nameRequired);
      return;
    }
    const body = {
      name: name.trim(),
      expired_time: expiredTime(),
      unlimited_quota: unlimited,
      remain_quota: unlimited ? 0 : Math.max(0, Math.floor(Number(quota) || 0)),
      model_limits_enabled: limitModels && chosen.size > 0,
      model_limits: limitModels ? [...chosen].join(',') : '',
      allow_ips: allowIps.trim(),
      group,
    };
    setPending(true);
    setError(null);
    const res = token ? await api.put('/api/token/', { ...body, id: token.id }) : await api.post('/api/token/', body);
    setPending(false);
    if (!res.success) {
      setError(res.message);
      return;
    }
    onSaved();
  }

  // Models the key is limited to but that the user no longer sees stay listed, so they can be removed.
  const modelChoices = [...new Set([...models, ...chosen])].sort();

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={token ? m.tokens.editTitle : m.tokens.createTitle}
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {m.ui.cancel}
          </button>
          <button type="submit" form="token-form" className="btn btn-primary" disabled={pending} data-testid="token-submit">
            {pending ? m.ui.saving : m.ui.save}
          </button>
        </>
      }
    >
      <form id="token-form" className="form-grid" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="token-name">{m.tokens.name}</label>
          <input id="token-name" name="name" className="input" maxLength={50} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="token-group">{m.tokens.group}</label>
          <select id="token-group" className="input" value={group} onChange={(e) => setGroup(e.target.value)}>
            <option value="">{m.tokens.groupDefault}</option>
            {Object.entries(groups).map(([g, info]) => (
              <option key={g} value={g}>
                {g}
                {info.desc ? ` — ${info.desc}` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="token-expiry">{m.tokens.expiry}</label>
          <select id="token-expiry" className="input" value={expiry} onChange={(e) => setExpiry(e.target.value as Expiry)}>
            <option value="never">{m.tokens.expiryNever}</option>
            <option value="1h">{m.tokens.expiry1h}</option>
            <option value="1d">{m.tokens.expiry1d}</option>
            <option value="30d">{m.tokens.expiry30d}</option>
            <option value="custom">{m.tokens.expiryCustom}</option>
          </select>
        </div>
        {expiry === 'custom' ? (
          <div className="field">
            <label htmlFor="token-expires-at">{m.tokens.expiryAt}</label>
            <input id="token-expires-at" type="datetime-local" className="input" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
          </div>
        ) : (
          <div />
        )}
        <label className="check span-2">
          <input type="checkbox" checked={unlimited} onChange={(e) => setUnlimited(e.target.checked)} data-testid="token-unlimited" />
          {m.tokens.unlimited}
        </label>
        {!unlimited ? (
          <div className="field span-2">
            <label htmlFor="token-quota">{m.tokens.quota}</label>
            <input id="token-quota" type="number" min={0} step={1} className="input" value={quota} onChange={(e) => setQuota(e.target.value)} />
            <p className="hint">
              {format(m.tokens.quotaHint, { perUnit: perUnit.toLocaleString('en-US') })} ≈ {formatUsdAmount((Number(quota) || 0) / perUnit)}
            </p>
          </div>
        ) : null}
        <div className="field span-2">
          <label className="check">
            <input type="checkbox" checked={limitModels} onChange={(e) => setLimitModels(e.target.checked)} />
            {m.tokens.modelLimits}
          </label>
          {limitModels ? (
            <div className="card" style={{ padding: 10, maxHeight: 180, overflowY: 'auto', display: 'flex', flexWrap: 'wrap', gap: '6px 14px' }}>
              {modelChoices.length === 0 ? <span className="muted">{m.playground.noModels}</span> : null}
              {modelChoices.map((model) => (
                <label key={model} className="check">
                  <input
                    type="checkbox"
                    checked={chosen.has(model)}
                    onChange={(e) =>
                      setChosen((prev) => {
                        const next = new Set(prev);
                        if (e.target.checked) next.add(model);
                        else next.delete(model);
                        return next;
                      })
                    }
                  />
                  <span className="mono">{model}</span>
                </label>
              ))}
            </div>
          ) : null}
          <p className="hint">{m.tokens.modelLimitsHint}</p>
        </div>
        <div className="field span-2">
          <label htmlFor="token-ips">{m.tokens.allowIps}</label>
          <textarea id="token-ips" className="input" rows={3} value={allowIps} onChange={(e) => setAllowIps(e.target.value)} placeholder={'203.0.113.7\n10.0.0.0/8'} />
          <p className="hint">{m.tokens.allowIpsHint}</p>
        </div>
        {error ? (
          <p className="alert span-2" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </Modal>
  );
}
