import { parseApiKey } from './api-key';
import { pickChannel, priorityTiers, weightedDraw } from './channel-picker';
import { IpAllowList } from './ip-allow-list';
import { ModelMappingError, parseModelMapping, resolveModelMapping } from './model-mapping';
import { parseStatusCodeRanges } from './status-code-ranges';

/** Deterministic "random" numbers for draws. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe('channel picker', () => {
  const channels = [
    { id: 1, priority: 10, weight: 0 },
    { id: 2, priority: 10, weight: 0 },
    { id: 3, priority: 5, weight: 0 },
    { id: 4, priority: 0, weight: 0 },
  ];

  it('orders tiers from the highest priority', () => {
    expect(priorityTiers(channels)).toEqual([10, 5, 0]);
  });

  it('uses the retry index to step down tiers and reuses the lowest', () => {
    expect([1, 2]).toContain(pickChannel(channels, 0)?.id);
    expect(pickChannel(channels, 1)?.id).toBe(3);
    expect(pickChannel(channels, 2)?.id).toBe(4);
    expect(pickChannel(channels, 7)?.id).toBe(4);
  });

  it('skips channels this request already tried while others remain', () => {
    expect(pickChannel(channels, 0, new Set([1]))?.id).toBe(2);
    // tier 10 used up: the best untried channel, not a repeat
    expect(pickChannel(channels, 0, new Set([1, 2]))?.id).toBe(3);
    // everything tried: repeat within the tier rather than fail
    expect([1, 2]).toContain(pickChannel(channels, 0, new Set([1, 2, 3, 4]))?.id);
  });

  it('returns null without candidates', () => {
    expect(pickChannel([], 0)).toBeNull();
  });

  it('draws in proportion to weight', () => {
    const pool = [
      { id: 1, priority: 0, weight: 30 },
      { id: 2, priority: 0, weight: 70 },
    ];
    expect(weightedDraw(pool, () => 0.29).id).toBe(1);
    expect(weightedDraw(pool, () => 0.31).id).toBe(2);
    const counts = { 1: 0, 2: 0 } as Record<number, number>;
    const random = sequence(...Array.from({ length: 100 }, (_, i) => i / 100));
    for (let i = 0; i < 100; i++) counts[weightedDraw(pool, random).id]++;
    expect(counts[1]).toBe(30);
    expect(counts[2]).toBe(70);
  });

  it('gives zero-weight channels an equal share when all are zero', () => {
    const pool = [
      { id: 1, priority: 0, weight: 0 },
      { id: 2, priority: 0, weight: 0 },
    ];
    expect(weightedDraw(pool, () => 0.49).id).toBe(1);
    expect(weightedDraw(pool, () => 0.51).id).toBe(2);
  });
});

describe('model mapping', () => {
  it('follows chains', () => {
    expect(resolveModelMapping({ a: 'b', b: 'c' }, 'a')).toBe('c');
    expect(resolveModelMapping({ a: 'b' }, 'x')).toBe('x');
    expect(resolveModelMapping(null, 'x')).toBe('x');
  });

  it('rejects cycles', () => {
    expect(() => resolveModelMapping({ a: 'b', b: 'a' }, 'a')).toThrow(ModelMappingError);
  });

  it('parses stored JSON defensively', () => {
    expect(parseModelMapping('{"a":"b","n":1}')).toEqual({ a: 'b' });
    expect(parseModelMapping('')).toBeNull();
    expect(parseModelMapping('not json')).toBeNull();
  });
});

describe('api key parsing', () => {
  it('strips sk- and reads a pinned channel', () => {
    expect(parseApiKey('sk-abc')).toEqual({ key: 'abc', pinnedChannelId: null });
    expect(parseApiKey('Bearer sk-abc-12')).toEqual({ key: 'abc', pinnedChannelId: 12 });
    expect(parseApiKey('abc')).toEqual({ key: 'abc', pinnedChannelId: null });
  });
});

describe('ip allow-list', () => {
  it('accepts listed IPs and CIDRs only', () => {
    const list = new IpAllowList('10.0.0.1\n192.168.1.0/24\n::1');
    expect(list.allows('10.0.0.1')).toBe(true);
    expect(list.allows('::ffff:10.0.0.1')).toBe(true);
    expect(list.allows('192.168.1.77')).toBe(true);
    expect(list.allows('192.168.2.1')).toBe(false);
    expect(list.allows('::1')).toBe(true);
    expect(list.allows('garbage')).toBe(false);
  });

  it('allows everyone when empty', () => {
    expect(new IpAllowList('  \n').allows('1.2.3.4')).toBe(true);
  });
});

describe('status code ranges', () => {
  it('matches codes and ranges', () => {
    const matches = parseStatusCodeRanges('401, 429,500-503');
    expect([401, 429, 500, 503].every(matches)).toBe(true);
    expect([400, 504, 200].some(matches)).toBe(false);
  });

  it('rejects bad syntax', () => {
    expect(() => parseStatusCodeRanges('40x')).toThrow();
    expect(() => parseStatusCodeRanges('503-500')).toThrow();
  });
});

describe('redactSecrets', () => {
   
  const { redactSecrets } = require('../redact-secrets') as typeof import('../redact-secrets');

  it('masks key-shaped strings and keeps the rest', () => {
    expect(redactSecrets('Incorrect API key provided: sk-proj-abcd****wxyz. See docs.')).toBe('Incorrect API key provided: [redacted] See docs.');
    expect(redactSecrets('quota exceeded for this model')).toBe('quota exceeded for this model');
  });
});
