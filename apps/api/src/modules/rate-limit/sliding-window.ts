/**
 * Rate-limit stores: a sliding log per key (New API's InMemoryRateLimiter and its Redis list, made
 * exact). A key may make `limit` requests in any `windowMs`; the request after that waits until the
 * oldest one in the log is `windowMs` old. Framework-free so the unit tests run without Nest.
 */

/** What a store answers for one request. */
export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: milliseconds until one more request would be allowed (0 when allowed). */
  retryAfterMs: number;
}

export interface RateLimitStore {
  /** Counts one request under `key` if fewer than `limit` were counted in the last `windowMs`. */
  take(key: string, limit: number, windowMs: number): RateLimitDecision | Promise<RateLimitDecision>;
  /** Whether `take` would allow a request now, without counting one. */
  check(key: string, limit: number, windowMs: number): RateLimitDecision | Promise<RateLimitDecision>;
  /** Counts one request whatever the count (the log keeps the newest `limit`). */
  add(key: string, limit: number, windowMs: number): void | Promise<void>;
}

export const ALLOWED: RateLimitDecision = Object.freeze({ allowed: true, retryAfterMs: 0 });

/** Seconds for a Retry-After header: whole seconds, at least 1. */
export function retryAfterSeconds(decision: RateLimitDecision): number {
  return Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
}

/** The log of one key: request times (ms) in a ring that grows up to the limit. */
interface KeyLog {
  stamps: number[];
  /** Index of the oldest stamp once the ring is full (stamps.length === limit). */
  head: number;
  limit: number;
  windowMs: number;
  newest: number;
}

export interface MemoryStoreOptions {
  /** Most keys kept; beyond it the oldest-created keys are dropped (each costs up to 8 bytes × limit). */
  maxKeys?: number;
  /** How often keys idle for their whole window are swept (0 = only on demand, for tests). */
  sweepIntervalMs?: number;
  now?: () => number;
}

/** The store of a single process: a Map of sliding logs, swept periodically and bounded in keys. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly logs = new Map<string, KeyLog>();
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | null;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
    const every = options.sweepIntervalMs ?? 60_000;
    this.timer = every > 0 ? setInterval(() => this.sweep(), every) : null;
    this.timer?.unref();
  }

  get size(): number {
    return this.logs.size;
  }

  take(key: string, limit: number, windowMs: number): RateLimitDecision {
    const now = this.now();
    const log = this.logFor(key, limit, windowMs);
    if (log.stamps.length < limit) {
      log.stamps.push(now);
      log.newest = now;
      return ALLOWED;
    }
    const oldest = log.stamps[log.head];
    if (now - oldest < windowMs) return { allowed: false, retryAfterMs: oldest + windowMs - now };
    this.overwriteOldest(log, now);
    return ALLOWED;
  }

  check(key: string, limit: number, windowMs: number): RateLimitDecision {
    const log = this.logs.get(key);
    if (!log) return ALLOWED;
    if (log.limit !== limit) this.resize(log, limit);
    if (log.stamps.length < limit) return ALLOWED;
    const now = this.now();
    const oldest = log.stamps[log.head];
    return now - oldest < windowMs ? { allowed: false, retryAfterMs: oldest + windowMs - now } : ALLOWED;
  }

  add(key: string, limit: number, windowMs: number): void {
    const now = this.now();
    const log = this.logFor(key, limit, windowMs);
    if (log.stamps.length < limit) {
      log.stamps.push(now);
      log.newest = now;
    } else {
      this.overwriteOldest(log, now);
    }
  }

  /** Drops keys whose newest request is older than their window (they would allow anything). */
  sweep(): void {
    const now = this.now();
    for (const [key, log] of this.logs) if (now - log.newest >= log.windowMs) this.logs.delete(key);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.logs.clear();
  }

  private logFor(key: string, limit: number, windowMs: number): KeyLog {
    let log = this.logs.get(key);
    if (!log) {
      if (this.logs.size >= this.maxKeys) this.makeRoom();
      log = { stamps: [], head: 0, limit, windowMs, newest: 0 };
      this.logs.set(key, log);
      return log;
    }
    log.windowMs = windowMs;
    if (log.limit !== limit) this.resize(log, limit);
    return log;
  }

  private overwriteOldest(log: KeyLog, now: number): void {
    log.stamps[log.head] = now;
    log.head = (log.head + 1) % log.stamps.length;
    log.newest = now;
  }

  /** The limit changed (an option was edited): keep the newest stamps, in order, up to the new limit. */
  private resize(log: KeyLog, limit: number): void {
    const ordered = log.stamps.slice(log.head).concat(log.stamps.slice(0, log.head));
    log.stamps = ordered.slice(Math.max(0, ordered.length - limit));
    log.head = 0;
    log.limit = limit;
  }

  /** At the key bound: sweep idle keys first, then drop the oldest-created ones (a tenth, to amortise). */
  private makeRoom(): void {
    this.sweep();
    if (this.logs.size < this.maxKeys) return;
    let drop = Math.max(1, Math.floor(this.maxKeys / 10));
    for (const key of this.logs.keys()) {
      this.logs.delete(key);
      if (--drop === 0) break;
    }
  }
}
