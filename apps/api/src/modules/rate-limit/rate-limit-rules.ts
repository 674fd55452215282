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
]);
const CRITICAL_PREFIXES = ['/api/oauth/', '/api/user/passkey/login'];

/** Whether `path` (no query) is a critical route. */
export function isCriticalPath(path: string): boolean {
  if (CRITICAL_EXACT.has(path.endsWith('/') ? path.slice(0, -1) : path)) return true;
  for (const prefix of CRITICAL_PREFIXES) if (path.startsWith(prefix)) return true;
  return false;
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
