/**
 * Which requests each limiter covers and with what numbers, as New API decides it
 * (middleware/rate-limit.go, middleware/model-rate-limit.go). Pure, for the unit tests.
 */

/**
 * Routes under the critical limit (per IP): sign-in, sign-up, password reset, e-mail verification,
 * OAuth, top-up and payment. Listed by New API's paths, including ones this API does not serve yet,
 * so they are covered the day they appear. Method-less: New API's GETs and POSTs share the limit.
 */
const CRITICAL_EXACT = new Set([
  '/api/user/login',
  '/api/user/login/2fa',
  '/api/user/register',
  '/api/user/reset',
  '/api/user/topup',
  '/api/user/pay',
  '/api/user/amount',
  '/api/user/stripe/pay',
  '/api/user/stripe/amount',
  '/api/user/creem/pay',
  '/api/reset_password',
  '/api/verification',
  // Token-key routes: the key's own logs and usage, and revealing full keys.
  '/api/log/token',
  '/api/usage/token',
  '/api/token/batch/keys',
]);
const CRITICAL_PREFIXES = ['/api/oauth/', '/api/user/passkey/login'];
const CRITICAL_PATTERNS = [/^\/api\/token\/\d+\/key$/];

const trimSlash = (path: string) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);

/** Whether `path` (no query) is a critical route. */
export function isCriticalPath(path: string): boolean {
  const trimmed = trimSlash(path);
  if (CRITICAL_EXACT.has(trimmed)) return true;
  for (const prefix of CRITICAL_PREFIXES) if (path.startsWith(prefix)) return true;
  return CRITICAL_PATTERNS.some((pattern) => pattern.test(trimmed));
}

/**
 * A per-user limit ([latest] UserCriticalRateLimit `UC:<scope>` and SearchRateLimit), counted
 * once the caller is signed in. `key` names the counter: one per scope for the critical ones,
 * one shared by every search route.
 */
export interface UserLimitRule {
  kind: 'critical' | 'search';
  key: string;
}

const USER_LIMITS: Record<string, UserLimitRule> = {
  'GET /api/user/token': { kind: 'critical', key: 'access_token' },
  'POST /api/user/aff_transfer': { kind: 'critical', key: 'aff_transfer' },
  'GET /api/token/search': { kind: 'search', key: 'search' },
  'GET /api/log/self/search': { kind: 'search', key: 'search' },
};

/** The per-user limit of a management route, or null. */
export function userLimitRule(method: string, path: string): UserLimitRule | null {
  return USER_LIMITS[`${method.toUpperCase()} ${trimSlash(path)}`] ?? null;
}

/** The per-user model request limit in force for one request. */
export interface ModelRequestLimit {
  windowMs: number;
  /** All requests per window; 0 = no limit on the total. */
  total: number;
  /** Successful (status < 400) requests per window. */
  success: number;
}

export interface ModelRequestSettings {
  durationMinutes: number;
  total: number;
  success: number;
  /** ModelRequestRateLimitGroup: `{group: [total, success]}`. */
  groups: unknown;
}

/** The limit for a request routed in `group`: the group's override when it has a valid one, else the globals. */
export function modelRequestLimit(settings: ModelRequestSettings, group: string): ModelRequestLimit {
  let total = settings.total;
  let success = settings.success;
  const groups = settings.groups;
  if (groups && typeof groups === 'object' && !Array.isArray(groups) && Object.prototype.hasOwnProperty.call(groups, group)) {
    const pair = (groups as Record<string, unknown>)[group];
    if (Array.isArray(pair) && pair.length === 2 && pair.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      [total, success] = pair as [number, number];
    }
  }
  const minutes = settings.durationMinutes > 0 ? settings.durationMinutes : 1;
  return { windowMs: minutes * 60_000, total: Math.max(0, Math.floor(total)), success: Math.max(1, Math.floor(success)) };
}

const per = (windowMs: number) => {
  const minutes = windowMs / 60_000;
  return minutes === 1 ? 'per minute' : `per ${minutes} minutes`;
};

export const modelTotalLimitMessage = (limit: ModelRequestLimit) =>
  `Request limit reached: at most ${limit.total} requests ${per(limit.windowMs)}, failed ones included; check that your requests are correct`;

export const modelSuccessLimitMessage = (limit: ModelRequestLimit) =>
  `Request limit reached: at most ${limit.success} successful requests ${per(limit.windowMs)}`;
