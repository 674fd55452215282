import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { Redis, RedisOptions } from 'ioredis';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { readRedisTarget, RedisSettingError } from '../cache/invalidation-message';
import { OptionsService } from '../options/options.service';
import { RedisRateLimitStore } from './redis-rate-limit-store';
import { modelRequestLimit, modelSuccessLimitMessage, modelTotalLimitMessage } from './rate-limit-rules';
import { MemoryRateLimitStore, RateLimitDecision, retryAfterSeconds } from './sliding-window';

/** How long start-up waits for a configured Redis before counting in memory meanwhile. */
const STARTUP_WAIT_MS = 5_000;

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A 429 raised where no Express reply exists to carry Retry-After (WebSocket upgrades). */
export class RateLimitedError extends ApiError {
  constructor(
    code: string,
    message: string,
    readonly retryAfter: number,
  ) {
    super(429, code, message);
  }
}

/** Who is making a relay request, as far as the model request limit cares. */
export interface ModelRequestCaller {
  user: { id: number };
  /** The group the request is routed in: the token's group, else the user's. */
  group: string;
}

/**
 * Owns the rate-limit store: Redis (shared by every API process) when REDIS_CONN_STRING is set,
 * otherwise this process's memory. While Redis is unreachable requests are counted in memory
 * instead (a per-process limit beats none, and Redis trouble never fails a request).
 */
@Injectable()
export class RateLimitService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RateLimitService.name);
  private readonly memory = new MemoryRateLimitStore();
  private readonly redis: Redis | null = null;
  private readonly shared: RedisRateLimitStore | null = null;
  private redisDownLogged = false;

  constructor(
    private readonly config: AppConfig,
    private readonly options: OptionsService,
  ) {
    const env = config.env;
    if (!env.REDIS_CONN_STRING) return;
    try {
      const target = readRedisTarget(env.REDIS_CONN_STRING, env.REDIS_PASSWORD, env.REDIS_MASTER_NAME);
      const options: RedisOptions = {
        // Fail at once while disconnected: the memory store answers instead of requests waiting.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        // A Redis that hangs must not hold requests: after this the memory store answers.
        commandTimeout: 1_000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
        connectionName: 'your-api-rate-limit',
      };
      if (target.password) options.password = target.password;
      this.redis =
        target.kind === 'sentinel'
          ? new Redis({ ...options, sentinels: target.sentinels, name: target.masterName })
          : new Redis(target.url, options);
      this.redis.on('error', (error: unknown) => this.redisDown(error));
      this.redis.on('ready', () => {
        if (this.redisDownLogged) this.logger.log('Redis is back: rate limits are shared again');
        this.redisDownLogged = false;
      });
      this.shared = new RedisRateLimitStore(this.redis, `${env.REDIS_KEY_PREFIX}:rate-limit:`, randomUUID());
    } catch (error) {
      if (!(error instanceof RedisSettingError)) throw error;
      this.logger.error(`${error.message}. Rate limits are counted per process until this is fixed.`);
    }
  }

  /** Waits (briefly) for Redis, so the first requests after start-up are already counted in it. */
  async onModuleInit(): Promise<void> {
    const redis = this.redis;
    if (!redis) return;
    if (redis.status === 'ready' || (await this.readyWithin(redis, STARTUP_WAIT_MS))) {
      this.logger.log('rate limits are shared through Redis');
    } else {
      this.logger.warn(`Redis not ready within ${STARTUP_WAIT_MS / 1000} s: rate limits are counted in this process's memory until it is`);
    }
  }

  private async readyWithin(redis: Redis, ms: number): Promise<boolean> {
    let settle: (ready: boolean) => void = () => undefined;
    const onReady = () => settle(true);
    const onError = () => settle(false);
    const timer = setTimeout(onError, ms);
    const ready = await new Promise<boolean>((resolve) => {
      settle = resolve;
      redis.once('ready', onReady).once('error', onError);
    });
    clearTimeout(timer);
    redis.off('ready', onReady).off('error', onError);
    return ready;
  }

  onModuleDestroy(): void {
    this.memory.close();
    this.redis?.disconnect();
  }

  /** Counts one request under `key`; refused when `limit` were already counted within `windowMs`. */
  take(key: string, limit: number, windowMs: number): RateLimitDecision | Promise<RateLimitDecision> {
    if (this.shared && this.redis?.status === 'ready') {
      return this.shared.take(key, limit, windowMs).catch((error: unknown) => {
        this.redisDown(error);
        return this.memory.take(key, limit, windowMs);
      });
    }
    return this.memory.take(key, limit, windowMs);
  }

  private check(key: string, limit: number, windowMs: number): RateLimitDecision | Promise<RateLimitDecision> {
    if (this.shared && this.redis?.status === 'ready') {
      return this.shared.check(key, limit, windowMs).catch((error: unknown) => {
        this.redisDown(error);
        return this.memory.check(key, limit, windowMs);
      });
    }
    return this.memory.check(key, limit, windowMs);
  }

  private add(key: string, limit: number, windowMs: number): void {
    if (this.shared && this.redis?.status === 'ready') {
      this.shared.add(key, limit, windowMs).catch((error: unknown) => {
        this.redisDown(error);
        this.memory.add(key, limit, windowMs);
      });
      return;
    }
    this.memory.add(key, limit, windowMs);
  }

  /**
   * The per-user model request limit (options ModelRequestRateLimit*), checked once the relay has
   * authenticated the caller. Every request counts towards the total limit; the success limit is
   * checked now and counted when the response ends with a status below 400, as New API does.
   * Throws a 429 ApiError (with Retry-After set) when either is reached.
   */
  admitModelRequest(caller: ModelRequestCaller, res: Response): void | Promise<void> {
    if (!this.options.getBool('ModelRequestRateLimitEnabled')) return;
    return this.admitLimitedModelRequest(caller, res);
  }

  private async admitLimitedModelRequest(caller: ModelRequestCaller, res: Response): Promise<void> {
    const admitted = await this.admitModel(caller);
    if ('refused' in admitted) this.refuse(res, admitted.refused.decision, admitted.refused.code, admitted.refused.message);
    res.once('finish', () => {
      if (res.statusCode < 400) admitted.countSuccess();
    });
  }

  /**
   * The model request limit for a request without an Express reply (the realtime WebSocket
   * upgrade). Throws the 429 ApiError (its Retry-After in `retryAfter`); on admission resolves a
   * callback that counts the request as successful, or null while the limit is off.
   */
  async admitModelSession(caller: ModelRequestCaller): Promise<(() => void) | null> {
    if (!this.options.getBool('ModelRequestRateLimitEnabled')) return null;
    const admitted = await this.admitModel(caller);
    if ('refused' in admitted) {
      const { decision, code, message } = admitted.refused;
      throw new RateLimitedError(code, message, retryAfterSeconds(decision));
    }
    return admitted.countSuccess;
  }

  private async admitModel(
    caller: ModelRequestCaller,
  ): Promise<{ countSuccess: () => void } | { refused: { decision: RateLimitDecision; code: string; message: string } }> {
    const limit = modelRequestLimit(
      {
        durationMinutes: this.options.getNumber('ModelRequestRateLimitDurationMinutes'),
        total: this.options.getNumber('ModelRequestRateLimitCount'),
        success: this.options.getNumber('ModelRequestRateLimitSuccessCount'),
        groups: this.options.getJson('ModelRequestRateLimitGroup'),
      },
      caller.group,
    );
    const user = String(caller.user.id);
    if (limit.total > 0) {
      const total = await this.take(`model-total:${user}`, limit.total, limit.windowMs);
      if (!total.allowed) return { refused: { decision: total, code: 'rate-limit/model-requests', message: modelTotalLimitMessage(limit) } };
    }
    const successKey = `model-success:${user}`;
    const success = await this.check(successKey, limit.success, limit.windowMs);
    if (!success.allowed) return { refused: { decision: success, code: 'rate-limit/model-successes', message: modelSuccessLimitMessage(limit) } };
    return { countSuccess: () => this.add(successKey, limit.success, limit.windowMs) };
  }

  private refuse(res: Response, decision: RateLimitDecision, code: string, message: string): never {
    res.setHeader('Retry-After', String(retryAfterSeconds(decision)));
    throw new ApiError(429, code, message);
  }

  private redisDown(error: unknown): void {
    if (this.redisDownLogged) return;
    this.redisDownLogged = true;
    this.logger.warn(`Redis unreachable for rate limits (${describeError(error)}); counting in this process's memory until it is back`);
  }
}
