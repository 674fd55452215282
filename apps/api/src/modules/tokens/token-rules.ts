import { isIP } from 'node:net';

/** Longest token name, counted in characters (New API [latest]: 50). */
export const MAX_TOKEN_NAME_LENGTH = 50;

/** Turns a user-entered key into the stored form: trimmed, without the `sk-` prefix. */
export function stripKeyPrefix(key: string): string {
  const trimmed = key.trim();
  return trimmed.startsWith('sk-') ? trimmed.slice(3) : trimmed;
}

/** A stored key looks like this (48 characters of [0-9a-zA-Z]); anything else is searched as a fragment. */
export function isWholeKey(key: string): boolean {
  return /^[0-9a-zA-Z]{48}$/.test(key);
}

/** True for a single IP address or a CIDR range (IPv4 /0–32, IPv6 /0–128). */
export function isIpOrCidr(entry: string): boolean {
  const slash = entry.indexOf('/');
  if (slash < 0) return isIP(entry) !== 0;
  const address = entry.slice(0, slash);
  const prefix = entry.slice(slash + 1);
  const family = isIP(address);
  if (family === 0 || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Normalises `allow_ips` (one IP or CIDR per line) and reports the first bad line.
 * Blank lines are dropped; each kept line is trimmed.
 */
export function normaliseAllowIps(text: string): { value: string } | { error: string } {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    if (!isIpOrCidr(line)) {
      return { error: `allow_ips line ${i + 1} ("${line.slice(0, 64)}") is not an IP address or CIDR range` };
    }
    kept.push(line);
  }
  return { value: kept.join('\n') };
}

/** Comma-separated list with entries trimmed, blanks and repeats dropped, order kept. */
export function normaliseCsv(text: string): string {
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const entry = part.trim();
    if (entry) seen.add(entry);
  }
  return [...seen].join(',');
}

/** Characters, not UTF-16 units, so a name of emoji is measured as the user sees it. */
export function characterCount(text: string): number {
  return [...text].length;
}

/** Escapes `%`, `_` and the escape character itself for `LIKE … ESCAPE '!'` (portable to all three databases). */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}
