import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Random string over [0-9a-zA-Z] from the OS CSPRNG, without modulo bias. */
export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** 48-character API key, stored without `sk-` (New API common.GenerateKey). */
export function generateApiKey(): string {
  return randomAlphanumeric(48);
}

/** Management access token: 32 URL-safe characters (fits users.access_token char(32)). */
export function generateAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Invite code: 4 alphanumerics, as New API. */
export function generateAffCode(): string {
  return randomAlphanumeric(4);
}
