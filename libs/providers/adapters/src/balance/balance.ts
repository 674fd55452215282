import { ChannelType } from '@your-api/contracts';

/**
 * Upstream account balances (New API controller/channel-billing.go): which vendor API a channel
 * type reports its balance through, the requests to make, and how to read the replies. The
 * caller sends the requests (through the channel's proxy) and stores the result in USD.
 */

/** How a channel type reports its balance. */
export type BalanceSource =
  /** OpenAI's legacy dashboard: subscription hard limit minus the usage of a date window. */
  | 'openai-billing'
  /** `/dashboard/billing/credit_grants` (API2GPT, AIGC2D): the remaining credit. */
  | 'credit-grants'
  | 'aiproxy'
  | 'siliconflow'
  | 'deepseek'
  | 'openrouter'
  | 'moonshot';

export type BalanceCurrency = 'USD' | 'CNY';

export interface UpstreamBalance {
  amount: number;
  currency: BalanceCurrency;
}

export interface BalanceCall {
  url: string;
  headers: Record<string, string>;
}

/** A reply that does not carry a balance (an error code, or an unknown shape); the message is safe to show. */
export class BalanceReadError extends Error {}

/** AIProxy reports on its own host, whatever the channel's base URL (as New API does). */
const AIPROXY_OVERVIEW_URL = 'https://aiproxy.io/api/report/getUserOverview';

/** The balance source of a channel type, or null when the type has none (Azure included). */
export function balanceSourceOf(channelType: number): BalanceSource | null {
  switch (channelType) {
    case ChannelType.OpenAI:
    case ChannelType.Custom:
      return 'openai-billing';
    case ChannelType.API2GPT:
    case ChannelType.AIGC2D:
      return 'credit-grants';
    case ChannelType.AIProxy:
      return 'aiproxy';
    case ChannelType.SiliconFlow:
      return 'siliconflow';
    case ChannelType.DeepSeek:
      return 'deepseek';
    case ChannelType.OpenRouter:
      return 'openrouter';
    case ChannelType.Moonshot:
      return 'moonshot';
    default:
      return null;
  }
}

/** `base` + `path`, where a base that already ends in `/v1` does not repeat it. */
function joinUrl(baseUrl: string, path: string): string {
  const base = baseUrl.trim().replace(/\/+$/, '');
  return base.endsWith('/v1') && path.startsWith('/v1/') ? `${base}${path.slice(3)}` : `${base}${path}`;
}

const bearer = (apiKey: string): Record<string, string> => ({ authorization: `Bearer ${apiKey}`, accept: 'application/json' });

/** The one request of every source but `openai-billing` (which takes two, see below). */
export function balanceCallOf(source: Exclude<BalanceSource, 'openai-billing'>, baseUrl: string, apiKey: string): BalanceCall {
  switch (source) {
    case 'credit-grants':
      return { url: joinUrl(baseUrl, '/dashboard/billing/credit_grants'), headers: bearer(apiKey) };
    case 'aiproxy':
      return { url: AIPROXY_OVERVIEW_URL, headers: { 'api-key': apiKey, accept: 'application/json' } };
    case 'siliconflow':
      return { url: joinUrl(baseUrl, '/v1/user/info'), headers: bearer(apiKey) };
    case 'deepseek':
      return { url: joinUrl(baseUrl, '/user/balance'), headers: bearer(apiKey) };
    case 'openrouter':
      return { url: joinUrl(baseUrl, '/v1/credits'), headers: bearer(apiKey) };
    case 'moonshot':
      return { url: joinUrl(baseUrl, '/v1/users/me/balance'), headers: bearer(apiKey) };
  }
}

export function openAiSubscriptionCall(baseUrl: string, apiKey: string): BalanceCall {
  return { url: joinUrl(baseUrl, '/v1/dashboard/billing/subscription'), headers: bearer(apiKey) };
}

export function openAiUsageCall(baseUrl: string, apiKey: string, window: { startDate: string; endDate: string }): BalanceCall {
  const query = `start_date=${window.startDate}&end_date=${window.endDate}`;
  return { url: `${joinUrl(baseUrl, '/v1/dashboard/billing/usage')}?${query}`, headers: bearer(apiKey) };
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** YYYY-MM-DD in the server's local time, as New API formats it. */
const localDate = (date: Date): string => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/**
 * The usage window subtracted from the hard limit: the current month for an account with a
 * payment method (its limit renews monthly), else the last 100 days (a prepaid grant).
 */
export function openAiUsageWindow(hasPaymentMethod: boolean, now: Date): { startDate: string; endDate: string } {
  const endDate = localDate(now);
  if (hasPaymentMethod) return { startDate: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-01`, endDate };
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 100);
  return { startDate: localDate(start), endDate };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A number, or a decimal string ("110.00"); anything else is an unreadable reply. */
function amountOf(value: unknown, field: string): number {
  const amount = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(amount)) throw new BalanceReadError(`The upstream reply has no readable ${field}`);
  return amount;
}

export function readOpenAiSubscription(json: unknown): { hardLimitUsd: number; hasPaymentMethod: boolean } {
  if (!isObject(json)) throw new BalanceReadError('The subscription reply is not a JSON object');
  return { hardLimitUsd: amountOf(json.hard_limit_usd, 'hard_limit_usd'), hasPaymentMethod: json.has_payment_method === true };
}

/** Usage of the window in USD (`total_usage` is in cents). */
export function readOpenAiUsageUsd(json: unknown): number {
  if (!isObject(json)) throw new BalanceReadError('The usage reply is not a JSON object');
  return amountOf(json.total_usage, 'total_usage') / 100;
}

/** Reads the reply of a single-request source. */
export function readBalance(source: Exclude<BalanceSource, 'openai-billing'>, json: unknown): UpstreamBalance {
  if (!isObject(json)) throw new BalanceReadError('The balance reply is not a JSON object');
  const data = isObject(json.data) ? json.data : null;
  switch (source) {
    case 'credit-grants':
      // AIGC2D names it total_available, API2GPT total_remaining.
      return { amount: amountOf(json.total_available ?? json.total_remaining, 'total_available'), currency: 'USD' };
    case 'aiproxy':
      if (json.success !== true || !data) throw new BalanceReadError(`AIProxy refused: ${safeText(json.message)} (code ${safeText(json.error_code)})`);
      return { amount: amountOf(data.totalPoints, 'totalPoints'), currency: 'USD' };
    case 'siliconflow':
      if (Number(json.code) !== 20000 || !data) throw new BalanceReadError(`SiliconFlow refused: ${safeText(json.message)} (code ${safeText(json.code)})`);
      return { amount: amountOf(data.totalBalance, 'totalBalance'), currency: 'CNY' };
    case 'deepseek': {
      const infos = Array.isArray(json.balance_infos) ? json.balance_infos.filter(isObject) : [];
      // An account holds one currency; prefer USD when both appear.
      const info = infos.find((i) => i.currency === 'USD') ?? infos.find((i) => i.currency === 'CNY');
      if (!info) throw new BalanceReadError('DeepSeek reported no USD or CNY balance');
      return { amount: amountOf(info.total_balance, 'total_balance'), currency: info.currency as BalanceCurrency };
    }
    case 'openrouter':
      if (!data) throw new BalanceReadError('The OpenRouter reply has no data');
      return { amount: amountOf(data.total_credits, 'total_credits') - amountOf(data.total_usage, 'total_usage'), currency: 'USD' };
    case 'moonshot':
      if (json.status !== true || Number(json.code) !== 0 || !data) {
        throw new BalanceReadError(`Moonshot refused: ${safeText(json.scode)} (code ${safeText(json.code)})`);
      }
      return { amount: amountOf(data.available_balance, 'available_balance'), currency: 'CNY' };
  }
}

/** A balance in USD; `cnyPerUsd` is the operator's exchange rate (option USDExchangeRate). */
export function balanceInUsd(balance: UpstreamBalance, cnyPerUsd: number): number {
  if (balance.currency === 'USD') return balance.amount;
  return cnyPerUsd > 0 ? balance.amount / cnyPerUsd : 0;
}

/** A short, single-line piece of an upstream reply for an error message. */
function safeText(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '?';
  return String(value).replace(/\s+/g, ' ').slice(0, 120);
}
