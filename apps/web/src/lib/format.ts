import { Role, type StatusView } from '@your-api/contracts';
import type { Messages } from './i18n/dictionary';

export const DEFAULT_QUOTA_PER_UNIT = 500000;

/**
 * Quota as New API shows it: USD (quota / QuotaPerUnit) when
 * `display_in_currency` is on (the default), raw quota units otherwise.
 */
export function formatQuota(quota: number, status: StatusView | null): string {
  const perUnit = Number(status?.quota_per_unit) > 0 ? Number(status?.quota_per_unit) : DEFAULT_QUOTA_PER_UNIT;
  const inCurrency = status?.['display_in_currency'] !== false;
  if (!inCurrency) return quota.toLocaleString('en-US');
  return formatUsdAmount(quota / perUnit);
}

/**
 * A dollar amount as the console shows it: cents from $1 up (`$199.999988` reads `$200.00`),
 * two significant digits below $1 so tiny charges stay visible (`$0.000012`, `$0.075`), and
 * nothing finer than a millionth, the smallest step New API's quota units express at the default rate.
 */
export function formatUsdAmount(usd: number): string {
  if (!Number.isFinite(usd)) return '—';
  const size = Math.abs(usd);
  const decimals = size >= 1 || size === 0 ? 2 : Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(size))));
  const text = size.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: decimals });
  return usd < 0 && Number(text.replace(/,/g, '')) !== 0 ? `-$${text}` : `$${text}`;
}

export function roleName(role: number | undefined, m: Messages): string {
  if (role === undefined) return '—';
  if (role >= Role.Root) return m.console.roles.root;
  if (role >= Role.Admin) return m.console.roles.admin;
  if (role >= Role.Common) return m.console.roles.common;
  return m.console.roles.guest;
}

/** `start_time` is unix seconds. */
export function formatUnixTime(seconds: number, locale: string): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '—';
  return new Date(seconds * 1000).toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-US', { timeZone: 'UTC', timeZoneName: 'short' });
}

export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return '—';
  const d = Math.floor(totalSeconds / 86400);
  const h = Math.floor((totalSeconds % 86400) / 3600);
  const min = Math.floor((totalSeconds % 3600) / 60);
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', `${min}m`].filter(Boolean);
  return parts.join(' ');
}

export function isHttpsUrl(value: string): boolean {
  return /^https:\/\/\S+$/i.test(value.trim());
}
