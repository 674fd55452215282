'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import type { EpayOrderReply, PayMethodView, PayRequest, StripeOrderView, TopUpInfoView } from '@your-api/contracts';
import { api } from '@/lib/api-client';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { discountPercent, minimumAmount, parseAmount, submitEpayForm } from '@/lib/top-up';

const QUOTE_DELAY_MS = 300;

/**
 * Online top-up (New API's wallet): preset or typed amount, a live price quote (POST /api/user/amount,
 * or /api/user/stripe/amount when only Stripe is offered), and one button per pay method. EPay
 * answers signed params the browser form-posts to the gateway; Stripe answers a Checkout link.
 */
export function OnlineTopUp({ info, onOrdered }: { info: TopUpInfoView; onOrdered: () => void }) {
  const { m } = useI18n();
  const t = m.topUpOnline;
  const epayMethods = info.pay_methods.filter((method) => method.type !== 'stripe');
  const stripeOnly = epayMethods.length === 0;
  const firstPreset = info.amount_options.find((amount) => amount >= info.min_topup);
  const [text, setText] = useState(String(firstPreset ?? Math.max(1, stripeOnly ? info.stripe_min_topup : info.min_topup)));
  const [quote, setQuote] = useState<{ amount: number; money: string | null; error: string | null } | null>(null);
  const [paying, setPaying] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Quotes already fetched, by amount: the quote route shares the per-IP limit of the payment routes.
  const quotes = useRef(new Map<number, { money: string | null; error: string | null }>());
  const amount = parseAmount(text);
  const globalMinimum = stripeOnly ? info.stripe_min_topup : info.min_topup;

  useEffect(() => {
    if (amount === null || amount < globalMinimum) return;
    let current = true;
    const known = quotes.current.get(amount);
    const timer = setTimeout(
      () => {
        if (known) {
          setQuote({ amount, ...known });
          return;
        }
        const body: PayRequest = { amount };
        void api.post<string>(stripeOnly ? '/api/user/stripe/amount' : '/api/user/amount', body).then((res) => {
          const answer = { money: res.success ? (res.data ?? null) : null, error: res.success ? null : res.message };
          if (res.success) quotes.current.set(amount, answer);
          if (current) setQuote({ amount, ...answer });
        });
      },
      known ? 0 : QUOTE_DELAY_MS,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [amount, globalMinimum, stripeOnly]);

  const shownQuote = quote && quote.amount === amount ? quote : null;
  const amountProblem = useMemo(() => {
    if (amount === null) return text.trim() ? format(t.belowMinimum, { min: globalMinimum }) : null;
    return amount < globalMinimum ? format(t.belowMinimum, { min: globalMinimum }) : null;
  }, [amount, globalMinimum, t, text]);

  async function pay(method: PayMethodView) {
    setError(null);
    if (amount === null) return;
    const minimum = minimumAmount(info, method);
    if (amount < minimum) {
      setError(format(t.belowMinimum, { min: minimum }));
      return;
    }
    setPaying(method.type);
    if (method.type === 'stripe') {
      const res = await api.post<StripeOrderView>('/api/user/stripe/pay', { amount, payment_method: 'stripe' } satisfies PayRequest);
      if (!res.success || !res.data?.pay_link) {
        setPaying(null);
        setError(res.message);
        return;
      }
      onOrdered();
      window.location.assign(res.data.pay_link);
      return;
    }
    const res = (await api.post<Record<string, string>>('/api/user/pay', { amount, payment_method: method.type } satisfies PayRequest)) as Partial<EpayOrderReply> & {
      success: boolean;
      message: string;
    };
    if (!res.success || !res.data || !res.url) {
      setPaying(null);
      setError(res.message || 'error');
      return;
    }
    onOrdered();
    submitEpayForm(document, res.url, res.data);
  }

  return (
    <div data-testid="online-topup">
      <div className="field" style={{ marginBottom: 12 }}>
        <span className="muted">{t.presets}</span>
        <div className="row-actions" style={{ flexWrap: 'wrap' }}>
          {info.amount_options.map((preset) => {
            const percent = discountPercent(info.discount, preset);
            return (
              <button
                key={preset}
                type="button"
                className={`btn btn-sm ${amount === preset ? 'btn-primary' : ''}`}
                aria-pressed={amount === preset}
                data-testid="topup-preset"
                data-amount={preset}
                onClick={() => setText(String(preset))}
              >
                {preset}
                {percent ? <span className="badge badge-ok" style={{ marginLeft: 6 }}>{format(t.discount, { percent })}</span> : null}
              </button>
            );
          })}
        </div>
      </div>
      <div className="toolbar" style={{ alignItems: 'flex-end' }}>
        <div className="field">
          <label htmlFor="topup-amount">{t.amount}</label>
          <input
            id="topup-amount"
            className="input"
            inputMode="numeric"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby="topup-amount-hint"
          />
          <span id="topup-amount-hint" className="hint">
            {format(t.amountHint, { min: globalMinimum })}
          </span>
        </div>
        <div className="field">
          <span className="muted">{t.toPay}</span>
          <strong data-testid="topup-quote" style={{ fontSize: '1.4rem' }}>
            {amountProblem ? '—' : shownQuote ? (shownQuote.money ?? '—') : t.quoting}
          </strong>
        </div>
      </div>
      {amountProblem || shownQuote?.error ? (
        <p className="field-error" role="alert">
          {amountProblem ?? shownQuote?.error}
        </p>
      ) : null}
      <div className="field">
        <span className="muted">{t.payWith}</span>
        <div className="row-actions" style={{ flexWrap: 'wrap' }}>
          {info.pay_methods.map((method) => (
            <button
              key={method.type}
              type="button"
              className="btn btn-primary"
              disabled={paying !== null || amount === null || amountProblem !== null}
              data-testid="topup-pay"
              data-method={method.type}
              onClick={() => void pay(method)}
            >
              {method.name}
            </button>
          ))}
        </div>
      </div>
      {paying ? (
        <p className="notice" role="status">
          {t.paying}
        </p>
      ) : null}
      {error ? (
        <p className="alert" role="alert" data-testid="topup-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
