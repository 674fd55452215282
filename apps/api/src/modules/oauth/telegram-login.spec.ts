import { createHash, createHmac } from 'node:crypto';
import { checkTelegramLogin } from './telegram-login';

/** Test vector from the protocol notes (§8.2): bot token 123456:ABC. */
const BOT_TOKEN = '123456:ABC';
const SIGNED = { auth_date: '1700000000', first_name: 'Test', id: '42', username: 'tester' };
const HASH = 'ab953a24927d89d5e780d60674947cb6ed3a6c088d57a84243a0889decf08879';

function sign(fields: Record<string, string>, botToken = BOT_TOKEN): string {
  const text = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('\n');
  return createHmac('sha256', createHash('sha256').update(botToken).digest()).update(text).digest('hex');
}

describe('checkTelegramLogin', () => {
  it('accepts the reference vector within a day of auth_date, whatever the field order', () => {
    const result = checkTelegramLogin({ username: 'tester', hash: HASH, id: '42', first_name: 'Test', auth_date: '1700000000' }, BOT_TOKEN, 1_700_000_100);
    expect(result).toEqual({ ok: true, user: { id: '42', username: 'tester', firstName: 'Test', lastName: '' } });
  });

  it('accepts an upper-case hash', () => {
    expect(checkTelegramLogin({ ...SIGNED, hash: HASH.toUpperCase() }, BOT_TOKEN, 1_700_000_100).ok).toBe(true);
  });

  it('refuses a changed field, a hash made with another bot token, and a missing token', () => {
    expect(checkTelegramLogin({ ...SIGNED, id: '43', hash: HASH }, BOT_TOKEN, 1_700_000_100)).toEqual({ ok: false, reason: 'bad-hash' });
    expect(checkTelegramLogin({ ...SIGNED, hash: sign(SIGNED, '999:other') }, BOT_TOKEN, 1_700_000_100)).toEqual({ ok: false, reason: 'bad-hash' });
    expect(checkTelegramLogin({ ...SIGNED, hash: HASH }, '', 1_700_000_100)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses an added field the hash does not cover', () => {
    expect(checkTelegramLogin({ ...SIGNED, last_name: 'X', hash: HASH }, BOT_TOKEN, 1_700_000_100)).toEqual({ ok: false, reason: 'bad-hash' });
  });

  it('refuses a correctly signed auth_date over a day old or too far ahead', () => {
    expect(checkTelegramLogin({ ...SIGNED, hash: HASH }, BOT_TOKEN, 1_700_000_000 + 86_401)).toEqual({ ok: false, reason: 'stale' });
    expect(checkTelegramLogin({ ...SIGNED, hash: HASH }, BOT_TOKEN, 1_700_000_000 + 86_400).ok).toBe(true);
    expect(checkTelegramLogin({ ...SIGNED, hash: HASH }, BOT_TOKEN, 1_700_000_000 - 301)).toEqual({ ok: false, reason: 'stale' });
  });

  it('refuses repeated fields and missing or malformed id, auth_date and hash', () => {
    expect(checkTelegramLogin({ ...SIGNED, id: ['42', '43'], hash: HASH }, BOT_TOKEN, 1_700_000_100)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkTelegramLogin({ ...SIGNED }, BOT_TOKEN, 1_700_000_100)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkTelegramLogin({ ...SIGNED, hash: 'abc' }, BOT_TOKEN, 1_700_000_100)).toEqual({ ok: false, reason: 'malformed' });
    const noDate = { first_name: 'Test', id: '42' };
    expect(checkTelegramLogin({ ...noDate, hash: sign(noDate) }, BOT_TOKEN, 1_700_000_100)).toEqual({ ok: false, reason: 'malformed' });
  });
});
