/**
 * Pure rules of online top-up (no Nest, no database): EPay's MD5 signature, the money to pay for an
 * amount, order numbers and the quota an order is worth. Shared by the service and its unit tests.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

// ---------------------------------------------------------------- EPay signature

/**
 * EPay's MD5 sign (Calcium-Ion/go-epay `GenerateParams`): drop `sign`, `sign_type` and empty
 * values, sort the keys in ASCII order, join raw `k=v` pairs with `&`, append the merchant key
 * and take the lowercase hex MD5.
 */
export function epaySign(params: Record<string, string>, key: string): string {
  const joined = Object.keys(params)
    .filter((name) => name !== 'sign' && name !== 'sign_type' && params[name] !== '' && params[name] !== undefined)
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join('&');
  return createHash('md5').update(joined + key, 'utf8').digest('hex');
}

/** The params with `sign` and `sign_type=MD5` added, ready for the browser's form post. */
export function signEpayParams(params: Record<string, string>, key: string): Record<string, string> {
  return { ...params, sign: epaySign(params, key), sign_type: 'MD5' };
}

/** True when `sign` matches the other params (compared in constant time). */
export function verifyEpayParams(params: Record<string, string>, key: string): boolean {
  const given = params.sign;
  if (!key || typeof given !== 'string' || !/^[0-9a-fA-F]{32}$/.test(given)) return false;
  const expected = epaySign(params, key);
  return timingSafeEqual(Buffer.from(expected, 'utf8'), Buffer.from(given.toLowerCase(), 'utf8'));
}

/** A notify's query or form as flat strings (repeated fields: the first; objects dropped). */
export function flattenParams(input: Record<string, unknown>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    const first = Array.isArray(value) ? (value[0] as unknown) : value;
    if (typeof first === 'string') flat[name] = first;
    else if (typeof first === 'number' || typeof first === 'boolean') flat[name] = String(first);
  }
  return flat;
}

// ---------------------------------------------------------------- money

/** Rounds to cents half away from zero, without binary-fraction surprises (1.005 → 1.01). */
export function roundMoney(value: number): number {
  const cents = Math.round(Number((Math.abs(value) * 100).toPrecision(12)));
  return (Math.sign(value) * cents) / 100;
}

/** A multiplier from a `{name: number}` option: missing, zero, negative or not a number count as 1. */
export function multiplierOf(map: unknown, name: string): number {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return 1;
  const value = (map as Record<string, unknown>)[name];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 1;
}

export interface QuoteInput {
  /** Purchased units (dollars of quota). */
  units: number;
  /** Money per unit (EPay `Price`, Stripe `StripeUnitPrice`). */
  unitPrice: number;
  /** `TopupGroupRatio` of the buyer's group (0 or missing → 1). */
  groupRatio: number;
  /** `payment_setting.amount_discount` of this amount (missing → 1). */
  discount: number;
}

/** New API: `payMoney = amount × Price × TopupGroupRatio[group] × discount[amount]`, in cents. */
export function payMoney(input: QuoteInput): number {
  const groupRatio = input.groupRatio > 0 ? input.groupRatio : 1;
  const discount = input.discount > 0 ? input.discount : 1;
  return roundMoney(input.units * input.unitPrice * groupRatio * discount);
}

/** Money as EPay wants it: a string with two decimals. */
export function moneyText(money: number): string {
  return roundMoney(money).toFixed(2);
}

/** The smallest payable sum (New API refuses less than 0.01). */
export const MIN_PAY_MONEY = 0.01;

/** Paid and expected money agree to the cent. */
export function sameMoney(paid: number, expected: number): boolean {
  return Number.isFinite(paid) && Math.abs(roundMoney(paid) - roundMoney(expected)) < 0.005;
}

// ---------------------------------------------------------------- units and quota

/**
 * The units an amount buys: in TOKENS display mode the amount is quota, converted by QuotaPerUnit
 * (New API), otherwise it is already in units (dollars).
 */
export function unitsOf(amount: number, tokensMode: boolean, quotaPerUnit: number): number {
  return tokensMode && quotaPerUnit > 0 ? amount / quotaPerUnit : amount;
}

/** The quota an order credits: `amount × QuotaPerUnit` (TOKENS mode: the amount itself), whole units. */
export function quotaOfAmount(amount: number, tokensMode: boolean, quotaPerUnit: number): number {
  return Math.floor(tokensMode ? amount : amount * quotaPerUnit);
}

// ---------------------------------------------------------------- orders

const TRADE_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Six random letters and digits (New API `common.GetRandomString(6)`). */
export function randomTradeSuffix(): string {
  return Array.from({ length: 6 }, () => TRADE_ALPHABET[randomInt(TRADE_ALPHABET.length)]).join('');
}

/** New API's order number: `USR{uid}NO{6 random}{unix}`; Stripe orders get a `ref_` prefix. */
export function tradeNo(userId: number, random: string, unixSeconds: number): string {
  return `USR${userId}NO${random}${unixSeconds}`;
}

/** The callback base: `CustomCallbackAddress`, else `ServerAddress`, without a trailing slash. */
export function callbackBase(customCallbackAddress: string, serverAddress: string): string {
  return (customCallbackAddress.trim() || serverAddress.trim()).replace(/\/+$/, '');
}

/** `PayAddress` + `/submit.php` (a PayAddress already naming submit.php is kept). */
export function epaySubmitUrl(payAddress: string): string {
  const base = payAddress.trim().replace(/\/+$/, '');
  return /\/submit\.php$/.test(base) ? base : `${base}/submit.php`;
}

/** Topup log text of an online payment: the amount bought, the quota and the money paid. */
export function paymentLogContent(provider: string, amount: number, quota: number, money: number, tradeNumber: string): string {
  return `Online top-up (${provider}) of ${amount} (${quota} quota), paid ${moneyText(money)}, order ${tradeNumber}`;
}

/** A pay method entry of the `PayMethods` option. */
export interface PayMethod {
  name: string;
  type: string;
  color?: string;
  icon?: string;
  min_topup?: string | number;
}

/** The well-formed entries of the `PayMethods` option (anything else is skipped). */
export function readPayMethods(value: unknown): PayMethod[] {
  if (!Array.isArray(value)) return [];
  const methods: PayMethod[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    if (typeof entry.type !== 'string' || !entry.type.trim()) continue;
    const method: PayMethod = { name: typeof entry.name === 'string' ? entry.name : entry.type, type: entry.type.trim() };
    if (typeof entry.color === 'string') method.color = entry.color;
    if (typeof entry.icon === 'string') method.icon = entry.icon;
    if (typeof entry.min_topup === 'string' || typeof entry.min_topup === 'number') method.min_topup = entry.min_topup;
    methods.push(method);
  }
  return methods;
}

/** The smallest amount for a method: its own `min_topup` when larger than the global minimum. */
export function minimumFor(method: PayMethod | undefined, globalMinimum: number): number {
  const own = Number(method?.min_topup ?? 0);
  return Number.isFinite(own) && own > globalMinimum ? own : globalMinimum;
}

/** Positive finite numbers of the `payment_setting.amount_options` option. */
export function readAmountOptions(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is number => typeof item === 'number' && Number.isFinite(item) && item > 0);
}

/** `{amount: multiplier}` entries of `payment_setting.amount_discount` with a positive multiplier. */
export function readDiscounts(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const discounts: Record<string, number> = {};
  for (const [amount, discount] of Object.entries(value)) {
    if (typeof discount === 'number' && Number.isFinite(discount) && discount > 0) discounts[amount] = discount;
  }
  return discounts;
}
