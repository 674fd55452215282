import { isCriticalPath, modelRequestLimit, modelSuccessLimitMessage, modelTotalLimitMessage } from './rate-limit-rules';

describe('isCriticalPath', () => {
  it.each(['/api/user/login', '/api/user/login/2fa', '/api/user/register', '/api/user/register/', '/api/user/topup', '/api/reset_password', '/api/verification', '/api/oauth/github', '/api/oauth/state'])(
    '%s is critical',
    (path) => expect(isCriticalPath(path)).toBe(true),
  );
  it.each(['/api/status', '/api/user/self', '/api/user/logins', '/api/token/', '/api/oauth'])('%s is not', (path) => expect(isCriticalPath(path)).toBe(false));
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
