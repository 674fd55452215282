import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { Redis, RedisOptions } from 'ioredis';
import { CACHE_IPC_TOPIC, CacheIpcMessage, isCacheIpcMessage } from '../../cluster-primary';
import { AppConfig } from '../../config/app-config';
import {
  CacheTopic,
  decodeInvalidation,
  encodeInvalidation,
  invalidationChannel,
  readRedisTarget,
  RedisSettingError,
  RedisTarget,
} from './invalidation-message';

/** Called with the changed id, or with undefined when anything under the topic may have changed. */
export type InvalidationHandler = (id: string | undefined) => void | Promise<void>;

/** How long start-up waits for a configured Redis before warning and going on without it. */
const STARTUP_WAIT_MS = 5_000;
/** Reconnect back-off: 200 ms, 400 ms … at most 2 s, for ever. */
const retryDelay = (attempt: number): number => Math.min(attempt * 200, 2_000);

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Tells every node that cached data changed. `publish` runs this process's handlers at once, and
 * with REDIS_CONN_STRING also sends the change over Redis pub/sub, where the other nodes run the
 * same handlers (a node skips its own messages by id). Without Redis it is in-process only and the
 * other nodes catch up at SYNC_FREQUENCY, as before.
 *
 * Redis trouble never fails a request: publishing is fire-and-forget, failures are logged once per
 * outage, and ioredis reconnects in the background. Messages sent while a node was cut off are
 * lost, so when its subscription comes back it runs every handler with no id (drop everything,
 * reload) instead of trusting caches that may have missed changes.
 */
@Injectable()
export class CacheInvalidationBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CacheInvalidationBus.name);
  /** This process's id in messages. */
  readonly nodeId = randomUUID();
  private readonly channel: string;
  private readonly handlers = new Map<CacheTopic, InvalidationHandler[]>();
  private publisher: Redis | null = null;
  private subscriber: Redis | null = null;
  private target: RedisTarget | null = null;
  private subscribedBefore = false;
  private startupOver = false;
  private onFirstSubscription: (() => void) | null = null;
  private onStartupError: ((error: unknown) => void) | null = null;
  /** Connections whose current outage was already logged (one warning per outage, not per retry). */
  private readonly down = new Set<string>();
  private publishFailureLogged = false;
  /** A cluster worker without Redis: changes travel over IPC through the primary. */
  private viaCluster = false;

  constructor(private readonly config: AppConfig) {
    this.channel = invalidationChannel(config.env.REDIS_KEY_PREFIX);
  }

  subscribe(topic: CacheTopic, handler: InvalidationHandler): void {
    const list = this.handlers.get(topic) ?? [];
    list.push(handler);
    this.handlers.set(topic, list);
  }

  /** Call after the change is committed: local handlers run now, other nodes' shortly after. */
  publish(topic: CacheTopic, id?: string): void {
    this.runHandlers(topic, id);
    if (this.viaCluster) {
      const message: CacheIpcMessage = { topic: CACHE_IPC_TOPIC, text: encodeInvalidation({ node: this.nodeId, topic, id }) };
      process.send?.(message);
      return;
    }
    const publisher = this.publisher;
    if (!publisher) return;
    publisher.publish(this.channel, encodeInvalidation({ node: this.nodeId, topic, id })).then(
      () => {
        this.publishFailureLogged = false;
      },
      (error: unknown) => {
        if (this.publishFailureLogged) return;
        this.publishFailureLogged = true;
        this.logger.warn(
          `could not send a cache invalidation to other nodes (${describeError(error)}); they catch up when their Redis connection returns or within SYNC_FREQUENCY (${this.config.env.SYNC_FREQUENCY} s)`,
        );
      },
    );
  }

  async onModuleInit(): Promise<void> {
    const env = this.config.env;
    if (!env.REDIS_CONN_STRING && cluster.isWorker) {
      // Cluster mode without Redis: the primary passes each change on to the sibling workers.
      this.viaCluster = true;
      process.on('message', (message: unknown) => {
        if (isCacheIpcMessage(message)) this.receive(this.channel, message.text);
      });
      return;
    }
    if (!env.REDIS_CONN_STRING) {
      this.logger.log('REDIS_CONN_STRING is not set: cache invalidation is in-process only; other nodes see changes within SYNC_FREQUENCY');
      return;
    }
    try {
      this.target = readRedisTarget(env.REDIS_CONN_STRING, env.REDIS_PASSWORD, env.REDIS_MASTER_NAME);
    } catch (error) {
      if (!(error instanceof RedisSettingError)) throw error;
      this.logger.error(`${error.message}. Cache invalidation stays in-process only until this is fixed.`);
      return;
    }
    // Two connections: one in subscriber mode cannot publish.
    this.publisher = this.connection('publisher');
    this.subscriber = this.connection('subscriber');
    this.subscriber.on('message', (channel: string, text: string) => this.receive(channel, text));
    this.subscriber.on('ready', () => void this.resubscribe());
    const subscribed = new Promise<void>((resolve) => (this.onFirstSubscription = resolve));
    const publisherReady = new Promise<void>((resolve) => this.publisher?.once('ready', () => resolve()));
    const connected = Promise.all([subscribed, publisherReady]).then(() => 'ok' as const);
    // A refused or failed first attempt ends the wait at once: no point delaying start-up for retries.
    const failed = new Promise<{ error: unknown }>((resolve) => (this.onStartupError = (error) => resolve({ error })));
    // Connect failures are handled by the retry loop and the 'error' listeners; only the wait is bounded here.
    this.publisher.connect().catch(() => undefined);
    this.subscriber.connect().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STARTUP_WAIT_MS)));
    const outcome = await Promise.race([connected, failed, timedOut]);
    clearTimeout(timer);
    this.startupOver = true;
    this.onStartupError = null;
    if (outcome === 'ok') {
      this.logger.log(`cache invalidation shared through Redis at ${this.target.shown} (channel ${this.channel})`);
    } else {
      // Both connections count as down: the warning below covers them until they come up.
      this.down.add('publisher').add('subscriber');
      const reason = outcome === 'timeout' ? `no answer within ${STARTUP_WAIT_MS / 1000} s` : describeError(outcome.error);
      this.logger.warn(
        `REDIS_CONN_STRING is set, but Redis at ${this.target.shown} cannot be reached (${reason}). ` +
          `This node serves from its in-memory caches and keeps retrying; until it connects, changes made on other nodes reach it only every SYNC_FREQUENCY (${env.SYNC_FREQUENCY} s).`,
      );
    }
  }

  onModuleDestroy(): void {
    for (const connection of [this.subscriber, this.publisher]) connection?.disconnect();
    this.subscriber = null;
    this.publisher = null;
  }

  private connection(role: 'publisher' | 'subscriber'): Redis {
    const target = this.target!;
    const options: RedisOptions = {
      lazyConnect: true,
      // Fail publishes at once while disconnected instead of queueing them without bound.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // The subscription is renewed by hand on 'ready', so the resync runs after it is in place.
      autoResubscribe: false,
      retryStrategy: retryDelay,
      connectionName: `your-api-${role}`,
    };
    if (target.password) options.password = target.password;
    const redis =
      target.kind === 'sentinel'
        ? new Redis({ ...options, sentinels: target.sentinels, name: target.masterName, sentinelRetryStrategy: retryDelay })
        : new Redis(target.url, options);
    redis.on('error', (error: unknown) => {
      this.onStartupError?.(error);
      // Before start-up ends the start-up warning says it all; after, one line per outage.
      if (this.down.has(role)) return;
      this.down.add(role);
      if (this.startupOver) {
        this.logger.warn(`Redis ${role} connection to ${target.shown} lost (${describeError(error)}); serving from memory and reconnecting`);
      }
    });
    redis.on('ready', () => {
      if (this.down.delete(role) && this.startupOver) this.logger.log(`Redis ${role} connection to ${target.shown} is up`);
    });
    return redis;
  }

  private async resubscribe(): Promise<void> {
    const subscriber = this.subscriber;
    if (!subscriber) return;
    try {
      await subscriber.subscribe(this.channel);
    } catch (error) {
      // The connection dropped again; the next 'ready' retries.
      this.logger.warn(`could not subscribe to ${this.channel}: ${describeError(error)}`);
      return;
    }
    // A first subscription during start-up follows the initial loads; any later one may have missed messages.
    const missedSome = this.subscribedBefore || this.startupOver;
    this.subscribedBefore = true;
    this.onFirstSubscription?.();
    this.onFirstSubscription = null;
    if (missedSome) {
      this.logger.log('resubscribed to cache invalidations: dropping cached tokens and users, reloading options and channels');
      for (const topic of this.handlers.keys()) this.runHandlers(topic, undefined);
    }
  }

  private receive(channel: string, text: string): void {
    if (channel !== this.channel) return;
    const message = decodeInvalidation(text);
    if (!message || message.node === this.nodeId) return;
    this.runHandlers(message.topic, message.id);
  }

  private runHandlers(topic: CacheTopic, id: string | undefined): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      try {
        const result = handler(id);
        if (result instanceof Promise) {
          result.catch((error: unknown) => this.logger.warn(`${topic} invalidation handler failed: ${describeError(error)}`));
        }
      } catch (error) {
        this.logger.warn(`${topic} invalidation handler failed: ${describeError(error)}`);
      }
    }
  }
}
