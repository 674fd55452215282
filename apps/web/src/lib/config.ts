/**
 * Server-side run-time configuration. Read on every call (not at import or
 * build time) so one image can be pointed at any API by environment.
 */
export const DEFAULT_API_BASE_URL = 'http://127.0.0.1:3000';

export function apiBaseUrl(): string {
  const raw = process.env['API_BASE_URL']?.trim();
  return (raw && raw.length > 0 ? raw : DEFAULT_API_BASE_URL).replace(/\/+$/, '');
}

/**
 * Path prefixes that the web origin forwards to the API. Each one has a
 * catch-all route handler at app/<prefix>/[[...path]]/route.ts.
 */
export const PROXIED_PREFIXES = ['api', 'v1', 'v1beta', 'mj', 'suno', 'dashboard', 'pg'] as const;
