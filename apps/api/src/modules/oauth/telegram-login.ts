import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Telegram's widget data older than this is refused (a replayed link stops working after a day). */
export const TELEGRAM_MAX_AGE_SECONDS = 86_400;
/** Clocks differ a little: an auth_date up to this far in the future is still accepted. */
const TELEGRAM_FUTURE_SKEW_SECONDS = 300;

export interface TelegramUser {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
}

export type TelegramCheck = { ok: true; user: TelegramUser } | { ok: false; reason: 'malformed' | 'bad-hash' | 'stale' };

/**
 * Checks the fields the Telegram Login Widget signed (core.telegram.org/widgets/login): the hash
 * is hex(HMAC-SHA256(key = SHA256(bot token), data-check-string)), where the data-check-string is
 * every other field as `key=value`, sorted, joined with "\n". Repeated fields are refused (the
 * signature covers one value per key), as is data whose auth_date is over a day old.
 */
export function checkTelegramLogin(fields: Record<string, unknown>, botToken: string, nowSeconds: number): TelegramCheck {
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string') return { ok: false, reason: 'malformed' };
    values.set(key, value);
  }
  const hash = values.get('hash') ?? '';
  const id = values.get('id') ?? '';
  const authDate = values.get('auth_date') ?? '';
  if (!botToken || !/^[0-9a-f]{64}$/i.test(hash) || !/^\d{1,20}$/.test(id) || !/^\d{1,12}$/.test(authDate)) {
    return { ok: false, reason: 'malformed' };
  }
  values.delete('hash');
  const dataCheckString = [...values.keys()]
    .sort()
    .map((key) => `${key}=${values.get(key)}`)
    .join('\n');
  const secret = createHash('sha256').update(botToken).digest();
  const expected = createHmac('sha256', secret).update(dataCheckString).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'bad-hash' };
  const age = nowSeconds - Number(authDate);
  if (age > TELEGRAM_MAX_AGE_SECONDS || age < -TELEGRAM_FUTURE_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  return {
    ok: true,
    user: { id, username: values.get('username') ?? '', firstName: values.get('first_name') ?? '', lastName: values.get('last_name') ?? '' },
  };
}
