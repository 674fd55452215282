import type { Redis } from 'ioredis';
import { ALLOWED, RateLimitDecision, RateLimitStore } from './sliding-window';

/**
 * The same sliding log in a Redis sorted set (score = request time in ms), so every API process
 * sharing the Redis shares the limit. One Lua script per call keeps trim, count and add atomic;
 * the clock is Redis's (TIME), so processes with skewed clocks still agree.
 *
 * KEYS[1] log key; ARGV: limit, windowMs, mode (take | check | add), a member id unique per call.
 * Returns {allowed 0|1, retryAfterMs}.
 */
const SLIDING_LOG_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local mode = ARGV[3]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if mode == 'add' or count < limit then
  if mode ~= 'check' then
    redis.call('ZADD', KEYS[1], now, ARGV[4])
    if count >= limit then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, count - limit) end
    redis.call('PEXPIRE', KEYS[1], window)
  end
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now}
`;

type SlidingLogCommand = (key: string, limit: number, windowMs: number, mode: string, member: string) => Promise<[number, number]>;

export class RedisRateLimitStore implements RateLimitStore {
  private sequence = 0;
  private readonly run: SlidingLogCommand;

  /** `keyPrefix` is prepended to every key (REDIS_KEY_PREFIX + ':rate-limit:'); `nodeId` keeps members unique across processes. */
  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
    private readonly nodeId: string,
  ) {
    if (!('yourApiSlidingLog' in redis)) redis.defineCommand('yourApiSlidingLog', { numberOfKeys: 1, lua: SLIDING_LOG_SCRIPT });
    const command = (redis as unknown as { yourApiSlidingLog: SlidingLogCommand }).yourApiSlidingLog;
    this.run = command.bind(redis);
  }

  take(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    return this.call(key, limit, windowMs, 'take');
  }

  check(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    return this.call(key, limit, windowMs, 'check');
  }

  async add(key: string, limit: number, windowMs: number): Promise<void> {
    await this.call(key, limit, windowMs, 'add');
  }

  private async call(key: string, limit: number, windowMs: number, mode: string): Promise<RateLimitDecision> {
    const member = `${this.nodeId}:${(this.sequence = (this.sequence + 1) % Number.MAX_SAFE_INTEGER)}`;
    const [allowed, retryAfterMs] = await this.run(this.keyPrefix + key, limit, windowMs, mode, member);
    return allowed === 1 ? ALLOWED : { allowed: false, retryAfterMs: Math.max(0, Number(retryAfterMs)) };
  }
}
