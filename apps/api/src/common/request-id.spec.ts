import { nextRequestId } from './request-id';

describe('nextRequestId', () => {
  it('is a UTC millisecond stamp followed by 8 hex digits', () => {
    const id = nextRequestId(Date.UTC(2026, 10, 23, 14, 5, 6, 7));
    expect(id).toMatch(/^20261123140506007[0-9a-f]{8}$/);
  });

  it('never repeats within one millisecond, and moves with the clock', () => {
    const now = Date.UTC(2026, 0, 1);
    const ids = new Set(Array.from({ length: 10_000 }, () => nextRequestId(now)));
    expect(ids.size).toBe(10_000);
    expect(nextRequestId(now + 1).slice(0, 17)).toBe('20260101000000001');
    expect(nextRequestId(now + 59_999).slice(0, 17)).toBe('20260101000059999');
    expect(nextRequestId(now + 60_042).slice(0, 17)).toBe('20260101000100042');
    expect(nextRequestId(now + 60_120).slice(0, 17)).toBe('20260101000100120');
  });
});
