/**
 * In-memory hourly usage rollup behind `quota_data` (New API model/usedata.go): usage is summed
 * per (user, username, model, hour) and written in one go every few minutes, so the hot path
 * never touches the table. Pure (no Nest, no database): the store is an interface.
 */

/** One usage event as the relay reports it. */
export interface UsageEvent {
  userId: number;
  username: string;
  modelName: string;
  quota: number;
  /** Prompt plus completion tokens. */
  tokens: number;
  /** Unix seconds; defaults to now. */
  at?: number;
}

/** Summed usage of one key; `createdAt` is the start of the hour (ts - ts % 3600). */
export interface UsageBucket {
  userId: number;
  username: string;
  modelName: string;
  createdAt: number;
  count: number;
  quota: number;
  tokenUsed: number;
}

/** Writes of one flush, run inside one transaction by the store. */
export interface UsageWriter {
  /** Adds the bucket's sums to the existing row of its key (`count = count + ?`…); false if there is none. */
  addToExisting(bucket: UsageBucket): Promise<boolean>;
  insert(bucket: UsageBucket): Promise<void>;
}

export interface UsageStore {
  /** Runs `work` atomically: either every bucket of the flush is written or none is. */
  transaction(work: (writer: UsageWriter) => Promise<void>): Promise<void>;
}

/** `quota_data.username` and `model_name` are varchar(64). */
const MAX_NAME = 64;

export function hourOf(timestamp: number): number {
  const seconds = Math.floor(timestamp);
  return seconds - (seconds % 3600);
}

function clip(value: string): string {
  return value.length <= MAX_NAME ? value : Array.from(value).slice(0, MAX_NAME).join('');
}

export class UsageRollup {
  private buckets = new Map<string, UsageBucket>();
  private flushing: Promise<number> | null = null;

  constructor(private readonly now: () => number = () => Math.floor(Date.now() / 1000)) {}

  /** Number of keys waiting to be written. */
  get size(): number {
    return this.buckets.size;
  }

  add(event: UsageEvent): void {
    const bucket: UsageBucket = {
      userId: event.userId,
      username: clip(event.username ?? ''),
      modelName: clip(event.modelName ?? ''),
      createdAt: hourOf(event.at ?? this.now()),
      count: 1,
      quota: event.quota,
      tokenUsed: event.tokens,
    };
    this.merge(bucket);
  }

  /** A snapshot of the waiting buckets (for inspection and tests). */
  pending(): UsageBucket[] {
    return [...this.buckets.values()].map((bucket) => ({ ...bucket }));
  }

  /**
   * Writes every waiting bucket in one transaction and resolves with how many were written.
   * On failure the buckets are merged back (nothing was committed) and the error is rethrown.
   * A call made while a flush runs waits for it, then writes what arrived meanwhile.
   */
  flush(store: UsageStore): Promise<number> {
    if (this.flushing) {
      return this.flushing.then(
        () => this.flush(store),
        () => this.flush(store),
      );
    }
    if (this.buckets.size === 0) return Promise.resolve(0);
    const taken = this.buckets;
    this.buckets = new Map();
    this.flushing = store
      .transaction(async (writer) => {
        for (const bucket of taken.values()) {
          if (!(await writer.addToExisting(bucket))) await writer.insert(bucket);
        }
      })
      .then(
        () => taken.size,
        (error: unknown) => {
          for (const bucket of taken.values()) this.merge(bucket);
          throw error;
        },
      )
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  private merge(bucket: UsageBucket): void {
    const key = `${bucket.userId}\u0000${bucket.username}\u0000${bucket.modelName}\u0000${bucket.createdAt}`;
    const existing = this.buckets.get(key);
    if (existing) {
      existing.count += bucket.count;
      existing.quota += bucket.quota;
      existing.tokenUsed += bucket.tokenUsed;
    } else {
      this.buckets.set(key, { ...bucket });
    }
  }
}
