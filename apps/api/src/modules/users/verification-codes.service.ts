import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { Redis, RedisOptions } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { readRedisTarget, RedisSettingError } from '../cache/invalidation-message';

/** What a code proves: `v` an email address (registration, binding), `r` a password reset (New API's purposes). */
export type CodePurpose = 'v' | 'r';

/** Wrong guesses after which a code is dropped (the per-IP critical limit slows guessing further). */
export const MAX_CODE_FAILURES = 5;

/**
 * Atomic check-and-use of one code. KEYS[1] the code's hash; ARGV: the code offered, the failure limit.
 * Returns 1 when it matched (and deletes it), 0 otherwise (counting the failure).
 */
const CONSUME_SCRIPT = `
local code = redis.call('HGET', KEYS[1], 'code')
if not code then return 0 end
if code == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if failures >= tonumber(ARGV[2]) then redis.call('DEL', KEYS[1]) end
return 0
`;

/** How long start-up waits for a configured Redis. */
const STARTUP_WAIT_MS = 5_000;

type ConsumeCommand = (key: string, code: string, maxFailures: number) => Promise<number>;

interface MemoryCode {
  code: string;
  expires: number;
  failures: number;
}

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * Short-lived one-time codes keyed by purpose and email (New API common/verification.go keeps
 * them in process memory). With REDIS_CONN_STRING they live in Redis, so a code mailed by one API
 * process is accepted by another behind the same load balancer; without Redis (or while it is
 * unreachable) in this process's memory. A newer code for the same purpose and address replaces
 * the older one; a code works once; too many wrong guesses drop it.
 *
 * Redis rather than a table: the codes expire within minutes, need no migration on three
 * databases, and Redis drops them by itself (PEXPIRE); a multi-process deployment has Redis anyway.
 */
@Injectable()
export class VerificationCodesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(VerificationCodesService.name);
  private readonly memory = new Map<string, MemoryCode>();
  private readonly redis: Redis | null = null;
  private readonly consumeInRedis: ConsumeCommand | null = null;
  private readonly keyPrefix: string;
  private redisDownLogged = false;

  constructor(config: AppConfig) {
    const env = config.env;
    this.keyPrefix = `${env.REDIS_KEY_PREFIX}:verification:`;
    if (!env.REDIS_CONN_STRING) return;
    try {
      const target = readRedisTarget(env.REDIS_CONN_STRING, env.REDIS_PASSWORD, env.REDIS_MASTER_NAME);
      const options: RedisOptions = {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 2_000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
        connectionName: 'your-api-verification',
      };
      if (target.password) options.password = target.password;
      const redis =
        target.kind === 'sentinel' ? new Redis({ ...options, sentinels: target.sentinels, name: target.masterName }) : new Redis(target.url, options);
      redis.on('error', (error: unknown) => this.redisDown(error));
      redis.on('ready', () => (this.redisDownLogged = false));
      redis.defineCommand('yourApiConsumeCode', { numberOfKeys: 1, lua: CONSUME_SCRIPT });
      this.redis = redis;
      this.consumeInRedis = (redis as unknown as { yourApiConsumeCode: ConsumeCommand }).yourApiConsumeCode.bind(redis);
    } catch (error) {
      if (!(error instanceof RedisSettingError)) throw error;
      this.logger.error(`${error.message}. Verification codes are kept per process until this is fixed.`);
    }
  }

  /** Waits briefly for Redis, so codes issued right after start-up are already shared. */
  async onModuleInit(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, STARTUP_WAIT_MS);
      redis.on('ready', done);
    });
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }

  /** Stores `code` for `email` (lower-cased) under `purpose`, valid `ttlMs`, replacing an older one. */
  async issue(purpose: CodePurpose, email: string, code: string, ttlMs: number): Promise<void> {
    const key = this.key(purpose, email);
    if (this.redisReady()) {
      try {
        await this.redis!.multi().del(key).hset(key, { code, failures: 0 }).pexpire(key, ttlMs).exec();
        return;
      } catch (error) {
        this.redisDown(error);
      }
    }
    this.sweep();
    this.memory.set(key, { code, expires: Date.now() + ttlMs, failures: 0 });
  }

  /** True once for the right code within its validity; a wrong code counts towards dropping it. */
  async consume(purpose: CodePurpose, email: string, code: string): Promise<boolean> {
    if (!code) return false;
    const key = this.key(purpose, email);
    if (this.redisReady()) {
      try {
        if ((await this.consumeInRedis!(key, code, MAX_CODE_FAILURES)) === 1) return true;
      } catch (error) {
        this.redisDown(error);
      }
    }
    // Also looked up in memory: a code issued while Redis was down lives here.
    const entry = this.memory.get(key);
    if (!entry) return false;
    if (entry.expires <= Date.now()) {
      this.memory.delete(key);
      return false;
    }
    if (sameText(entry.code, code)) {
      this.memory.delete(key);
      return true;
    }
    if (++entry.failures >= MAX_CODE_FAILURES) this.memory.delete(key);
    return false;
  }

  private key(purpose: CodePurpose, email: string): string {
    return `${this.keyPrefix}${purpose}:${email.trim().toLowerCase()}`;
  }

  private redisReady(): boolean {
    return this.redis !== null && this.consumeInRedis !== null && this.redis.status === 'ready';
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.memory) if (entry.expires <= now) this.memory.delete(key);
  }

  private redisDown(error: unknown): void {
    if (this.redisDownLogged) return;
    this.redisDownLogged = true;
    this.logger.warn(`Redis unreachable for verification codes (${error instanceof Error ? error.message : String(error)}); keeping them in this process's memory`);
  }
}
