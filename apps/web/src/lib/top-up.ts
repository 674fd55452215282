import type { PayMethodView, TopUpInfoView } from '@your-api/contracts';

/** The smallest amount for a pay method: its own `min_topup` when larger, else the global one (Stripe: its own). */
export function minimumAmount(info: TopUpInfoView, method: PayMethodView | undefined): number {
  const global = method?.type === 'stripe' ? info.stripe_min_topup : info.min_topup;
  const own = Number(method?.min_topup ?? 0);
  return Number.isFinite(own) && own > global ? own : global;
}

/** A whole positive amount typed by the user, or null. */
export function parseAmount(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,9}$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value > 0 ? value : null;
}

/** "10% off" figure of a discount multiplier (0.9 → 10), or null when there is none. */
export function discountPercent(discounts: Record<string, number>, amount: number): number | null {
  const multiplier = discounts[String(amount)];
  if (typeof multiplier !== 'number' || multiplier <= 0 || multiplier >= 1) return null;
  return Math.round((1 - multiplier) * 100);
}

/** CSS badge class of an order status. */
export function statusBadge(status: string): string {
  if (status === 'success') return 'badge badge-ok';
  if (status === 'pending') return 'badge badge-warn';
  return 'badge badge-off';
}

/**
 * Posts the signed EPay params to the gateway as an HTML form (New API's frontend does the same):
 * the browser leaves for the gateway's cashier page.
 */
export function submitEpayForm(doc: Document, url: string, params: Record<string, string>): HTMLFormElement {
  const form = doc.createElement('form');
  form.method = 'POST';
  form.action = url;
  form.style.display = 'none';
  form.setAttribute('data-testid', 'epay-form');
  for (const [name, value] of Object.entries(params)) {
    const input = doc.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  doc.body.appendChild(form);
  form.submit();
  return form;
}
