import { MemoryRateLimitStore, retryAfterSeconds } from './sliding-window';

describe('MemoryRateLimitStore (sliding log)', () => {
  let now: number;
  let store: MemoryRateLimitStore;
  beforeEach(() => {
    now = 1_000_000;
    store = new MemoryRateLimitStore({ now: () => now, sweepIntervalMs: 0 });
  });
  afterEach(() => store.close());

  it('allows `limit` requests in a window and refuses the next with the wait until the oldest expires', () => {
    for (let i = 0; i < 3; i++) {
      expect(store.take('ip', 3, 10_000).allowed).toBe(true);
      now += 1_000;
    }
    const refused = store.take('ip', 3, 10_000);
    expect(refused).toEqual({ allowed: false, retryAfterMs: 7_000 });
    expect(retryAfterSeconds(refused)).toBe(7);
  });

  it('slides: each request frees up as it turns windowMs old, not all at once', () => {
    store.take('ip', 2, 10_000); // t = 0
    now += 4_000;
    store.take('ip', 2, 10_000); // t = 4 s
    now += 5_999;
    expect(store.take('ip', 2, 10_000).allowed).toBe(false);
    now += 1; // the first is 10 s old
    expect(store.take('ip', 2, 10_000).allowed).toBe(true);
    expect(store.take('ip', 2, 10_000)).toEqual({ allowed: false, retryAfterMs: 4_000 });
  });

  it('does not count refused requests', () => {
    store.take('ip', 1, 1_000);
    for (let i = 0; i < 5; i++) expect(store.take('ip', 1, 1_000).allowed).toBe(false);
    now += 1_000;
    expect(store.take('ip', 1, 1_000).allowed).toBe(true);
  });

  it('keeps keys apart', () => {
    expect(store.take('a', 1, 1_000).allowed).toBe(true);
    expect(store.take('b', 1, 1_000).allowed).toBe(true);
    expect(store.take('a', 1, 1_000).allowed).toBe(false);
  });

  it('check answers without counting; add counts even past the limit', () => {
    expect(store.check('user', 2, 1_000).allowed).toBe(true);
    store.add('user', 2, 1_000);
    expect(store.check('user', 2, 1_000).allowed).toBe(true);
    store.add('user', 2, 1_000);
    now += 10;
    store.add('user', 2, 1_000); // replaces the oldest
    expect(store.check('user', 2, 1_000)).toEqual({ allowed: false, retryAfterMs: 990 });
    expect(store.take('user', 2, 1_000).allowed).toBe(false);
  });

  it('applies a changed limit to an existing key, keeping its newest requests', () => {
    for (let i = 0; i < 4; i++) {
      store.take('user', 4, 10_000);
      now += 1_000;
    }
    // Lowered to 2: the two newest (t = 2 s, 3 s) still count.
    expect(store.take('user', 2, 10_000)).toEqual({ allowed: false, retryAfterMs: 8_000 });
    // Raised to 6: four more fit beside the two kept.
    for (let i = 0; i < 4; i++) expect(store.take('user', 6, 10_000).allowed).toBe(true);
    expect(store.take('user', 6, 10_000)).toEqual({ allowed: false, retryAfterMs: 8_000 });
  });

  it('sweeps keys idle for their whole window', () => {
    store.take('old', 5, 1_000);
    now += 500;
    store.take('recent', 5, 1_000);
    now += 600;
    store.sweep();
    expect(store.size).toBe(1);
    expect(store.check('recent', 1, 1_000).allowed).toBe(false);
  });

  it('sweeps on a timer', () => {
    jest.useFakeTimers();
    try {
      const timed = new MemoryRateLimitStore({ now: () => now, sweepIntervalMs: 60_000 });
      timed.take('ip', 5, 1_000);
      now += 2_000;
      jest.advanceTimersByTime(60_000);
      expect(timed.size).toBe(0);
      timed.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('stays within maxKeys, dropping idle keys first and then the oldest-created', () => {
    const bounded = new MemoryRateLimitStore({ now: () => now, sweepIntervalMs: 0, maxKeys: 10 });
    bounded.take('idle', 1, 100);
    now += 200;
    for (let i = 0; i < 9; i++) bounded.take(`k${i}`, 1, 60_000);
    bounded.take('k9', 1, 60_000); // full: the idle key goes
    expect(bounded.size).toBe(10);
    expect(bounded.check('k0', 1, 60_000).allowed).toBe(false);
    bounded.take('k10', 1, 60_000); // full again, nothing idle: the oldest-created (k0) goes
    expect(bounded.size).toBe(10);
    expect(bounded.check('k0', 1, 60_000).allowed).toBe(true);
    expect(bounded.check('k10', 1, 60_000).allowed).toBe(false);
    for (let i = 11; i < 1_000; i++) bounded.take(`k${i}`, 1, 60_000);
    expect(bounded.size).toBeLessThanOrEqual(10);
    bounded.close();
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(retryAfterSeconds({ allowed: false, retryAfterMs: 1 })).toBe(1);
    expect(retryAfterSeconds({ allowed: false, retryAfterMs: 1_001 })).toBe(2);
    expect(retryAfterSeconds({ allowed: false, retryAfterMs: 0 })).toBe(1);
  });
});
