/** URL prefixes of the relay (API-key) routes, as New API routes them; everything else is management. */
const RELAY_PREFIXES = ['/v1/', '/v1beta/', '/mj/', '/suno/', '/pg/', '/kling/', '/jimeng/', '/dashboard/billing/'];

/** Whether `url` (path with optional query) is a relay route. */
export function isRelayPath(url: string): boolean {
  for (const prefix of RELAY_PREFIXES) if (url.startsWith(prefix)) return true;
  return false;
}
