import { isCriticalPath, modelRequestLimit, modelSuccessLimitMessage, modelTotalLimitMessage, userLimitRule } from './rate-limit-rules';

describe('isCriticalPath', () => {
  it.each([
    '/api/user/login',
    '/api/user/login/2fa',
    '/api/user/register',
    '/api/user/register/',
    '/api/user/topup',
    '/api/user/pay',
    '/api/user/amount',
    '/api/user/stripe/pay',
    '/api/user/stripe/amount',
    '/api/user/creem/pay',
    '/api/reset_password',
    '/api/verification',
    '/api/oauth/github',
    '/api/oauth/state',
    '/api/user/passkey/login/begin',
    '/api/log/token',
    '/api/usage/token',
    '/api/usage/token/',
    '/api/token/12/key',
    '/api/token/batch/keys',
  ])('%s is critical', (path) => expect(isCriticalPath(path)).toBe(true));
  it.each(['/api/status', '/api/user/self', '/api/user/logins', '/api/token/', '/api/token/12', '/api/token/x/key', '/api/token/12/key/more', '/api/oauth', '/api/log/self', '/api/user/topup/info2'])(
    '%s is not',
    (path) => expect(isCriticalPath(path)).toBe(false),
  );
});

describe('userLimitRule', () => {
  it.each([
    ['GET', '/api/user/token', { kind: 'critical', key: 'access_token' }],
    ['get', '/api/user/token/', { kind: 'critical', key: 'access_token' }],
    ['POST', '/api/user/aff_transfer', { kind: 'critical', key: 'aff_transfer' }],
    ['GET', '/api/token/search', { kind: 'search', key: 'search' }],
    ['GET', '/api/log/self/search', { kind: 'search', key: 'search' }],
    ['POST', '/api/user/token', null],
    ['GET', '/api/user/aff', null],
    ['GET', '/api/log/search', null],
    ['GET', '/api/token/', null],
  ])('%s %s → %j', (method, path, rule) => expect(userLimitRule(method, path)).toEqual(rule));
});

describe('modelRequestLimit', () => {
  const settings = { durationMinutes: 2, total: 10, success: 5, groups: { vip: [100, 50], bad: ['x', 1], short: [1] } };

  it('uses the global numbers for a group without an override', () => {
    expect(modelRequestLimit(settings, 'default')).toEqual({ windowMs: 120_000, total: 10, success: 5 });
  });
  it("uses the group's [total, success] override", () => {
    expect(modelRequestLimit(settings, 'vip')).toEqual({ windowMs: 120_000, total: 100, success: 50 });
  });
  it('ignores malformed overrides and inherited keys', () => {
    expect(modelRequestLimit(settings, 'bad').total).toBe(10);
    expect(modelRequestLimit(settings, 'short').total).toBe(10);
    expect(modelRequestLimit(settings, 'toString').total).toBe(10);
    expect(modelRequestLimit({ ...settings, groups: null }, 'vip').total).toBe(10);
  });
  it('keeps a 0 total (no total limit), at least 1 success and at least a minute', () => {
    expect(modelRequestLimit({ durationMinutes: 0, total: 0, success: 0, groups: {} }, 'g')).toEqual({ windowMs: 60_000, total: 0, success: 1 });
  });
  it('says the numbers in its messages', () => {
    expect(modelTotalLimitMessage({ windowMs: 60_000, total: 3, success: 2 })).toContain('at most 3 requests per minute');
    expect(modelSuccessLimitMessage({ windowMs: 180_000, total: 3, success: 2 })).toContain('at most 2 successful requests per 3 minutes');
  });
});
