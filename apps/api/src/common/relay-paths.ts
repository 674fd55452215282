/**
 * URL prefixes of the relay (API-key) routes, as New API routes them; everything else is management.
 * The playground (/pg/) is not one: it authenticates by the management session cookie.
 */
const RELAY_PREFIXES = ['/v1/', '/v1beta/', '/mj/', '/suno/', '/kling/', '/jimeng/', '/dashboard/billing/'];

/** Whether `url` (path with optional query) is a relay route. */
export function isRelayPath(url: string): boolean {
  for (const prefix of RELAY_PREFIXES) if (url.startsWith(prefix)) return true;
  return false;
}
