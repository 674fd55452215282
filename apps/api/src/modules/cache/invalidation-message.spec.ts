import {
  decodeInvalidation,
  encodeInvalidation,
  invalidationChannel,
  readRedisTarget,
  RedisSettingError,
} from './invalidation-message';

describe('invalidation messages', () => {
  it('round-trip with and without an id', () => {
    const withId = { node: 'n1', topic: 'token' as const, id: 'abc' };
    expect(decodeInvalidation(encodeInvalidation(withId))).toEqual(withId);
    const withoutId = { node: 'n1', topic: 'channels' as const };
    expect(encodeInvalidation({ ...withoutId, id: undefined })).toBe('{"node":"n1","topic":"channels"}');
    expect(decodeInvalidation(encodeInvalidation(withoutId))).toEqual(withoutId);
  });

  it.each([
    ['not json', 'nope'],
    ['not an object', '42'],
    ['null', 'null'],
    ['missing node', '{"topic":"user","id":"1"}'],
    ['empty node', '{"node":"","topic":"user"}'],
    ['unknown topic', '{"node":"n","topic":"quota"}'],
    ['numeric id', '{"node":"n","topic":"user","id":1}'],
  ])('ignores %s', (_label, text) => {
    expect(decodeInvalidation(text)).toBeNull();
  });

  it('names the channel after the prefix', () => {
    expect(invalidationChannel('prod')).toBe('prod:invalidate');
    expect(invalidationChannel('')).toBe('your-api:invalidate');
  });
});

describe('readRedisTarget', () => {
  it('reads a URL and shows it without the password', () => {
    const target = readRedisTarget('redis://default:pw@cache.local:6380/2', '', '');
    expect(target).toMatchObject({ kind: 'url', url: 'redis://default:pw@cache.local:6380/2', shown: 'redis://cache.local:6380' });
    expect(target.password).toBeUndefined();
    expect(target.shown).not.toContain('pw');
  });

  it('uses REDIS_PASSWORD only when the URL has none', () => {
    expect(readRedisTarget('redis://cache.local', 'secret', '').password).toBe('secret');
    expect(readRedisTarget('redis://:inurl@cache.local', 'secret', '').password).toBeUndefined();
    expect(readRedisTarget('rediss://cache.local', '', '')).toMatchObject({ shown: 'rediss://cache.local:6379' });
  });

  it('refuses what is not a redis URL, without echoing it', () => {
    expect(() => readRedisTarget('cache.local:6379', '', '')).toThrow(RedisSettingError);
    expect(() => readRedisTarget('http://user:pw@cache.local', '', '')).toThrow(/redis:\/\/ or rediss:\/\//);
    try {
      readRedisTarget('http://user:topsecret@cache.local', '', '');
    } catch (error) {
      expect(String(error)).not.toContain('topsecret');
    }
  });

  it('reads a sentinel list when REDIS_MASTER_NAME is set', () => {
    const target = readRedisTarget('s1:26380, redis://:pw@s2 ,[::1]:26381', 'masterpw', 'mymaster');
    expect(target).toMatchObject({
      kind: 'sentinel',
      masterName: 'mymaster',
      password: 'masterpw',
      sentinels: [
        { host: 's1', port: 26380 },
        { host: 's2', port: 26379 },
        { host: '::1', port: 26381 },
      ],
    });
    expect(target.shown).not.toContain('pw');
  });

  it('refuses an empty or malformed sentinel list', () => {
    expect(() => readRedisTarget(' , ', '', 'mymaster')).toThrow(/lists no sentinel/);
    expect(() => readRedisTarget('s1:99999', '', 'mymaster')).toThrow(/invalid port/);
  });
});
