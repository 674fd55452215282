import type { UpstreamError } from '@your-api/providers-core';

export interface ChannelHealthRules {
  /** Status codes that disable a channel (option AutomaticDisableStatusCodes, default 401). */
  disableOnStatus: (status: number) => boolean;
  /** Lower-cased keywords (option AutomaticDisableKeywords, one per line). */
  keywords: readonly string[];
}

/** New API error codes and types that mean "this key will not work again". */
const DEAD_KEY_CODES = new Set(['invalid_api_key', 'account_deactivated', 'billing_not_active']);
const DEAD_KEY_TYPES = new Set(['insufficient_quota', 'authentication_error', 'permission_error', 'forbidden']);

/** Whether an upstream failure should disable the channel (or the key, on a multi-key channel). */
export function shouldDisableChannel(error: UpstreamError, rules: ChannelHealthRules): boolean {
  if (error.code !== 'upstream/error') return false; // transport errors and empty replies are transient
  if (rules.disableOnStatus(error.status)) return true;
  if (DEAD_KEY_CODES.has(error.upstreamCode) || DEAD_KEY_TYPES.has(error.upstreamType)) return true;
  const message = error.message.toLowerCase();
  return rules.keywords.some((keyword) => keyword && message.includes(keyword));
}

/** Key status 1 (or none recorded) means the key may be used; 2 and 3 mean disabled. */
const KEY_ENABLED = 1;

export interface MultiKeyChoice {
  /** Index of the chosen key, or -1 when no key may be used. */
  index: number;
  /** Where the next polling choice starts (New API stores index + 1). */
  nextPollingIndex: number;
}

/**
 * New API's key choice on a multi-key channel (`GetNextEnabledKey`): `polling` walks the keys
 * round robin from `pollingIndex`, skipping disabled ones; `random` draws uniformly among the
 * enabled keys; any other mode takes the first enabled key.
 */
export function pickMultiKeyIndex(options: {
  size: number;
  mode: string | undefined;
  statuses: Readonly<Record<string, number>> | undefined;
  /** Keys disabled here but not yet in the routing index. */
  alsoDisabled?: ReadonlySet<number>;
  pollingIndex: number;
  random?: () => number;
}): MultiKeyChoice {
  const { size, mode, statuses = {}, alsoDisabled, pollingIndex } = options;
  const usable = (i: number) => {
    const status = statuses[String(i)];
    return (status === undefined || Number(status) === KEY_ENABLED) && !alsoDisabled?.has(i);
  };
  if (mode === 'polling') {
    const start = size > 0 ? ((Math.trunc(pollingIndex) % size) + size) % size : 0;
    for (let step = 0; step < size; step++) {
      const index = (start + step) % size;
      if (usable(index)) return { index, nextPollingIndex: index + 1 };
    }
    return { index: -1, nextPollingIndex: pollingIndex };
  }
  const enabled: number[] = [];
  for (let i = 0; i < size; i++) if (usable(i)) enabled.push(i);
  if (enabled.length === 0) return { index: -1, nextPollingIndex: pollingIndex };
  if (mode === 'random') {
    const draw = Math.min(enabled.length - 1, Math.floor((options.random ?? Math.random)() * enabled.length));
    return { index: enabled[draw], nextPollingIndex: pollingIndex };
  }
  return { index: enabled[0], nextPollingIndex: pollingIndex };
}

/**
 * Bookkeeping of automatic disables in flight. A key being disabled is skipped by key choice
 * until the routing index shows it (the write and the rebuild take a moment, during which other
 * requests keep arriving), and is disabled once however many requests fail on it meanwhile.
 * Writes for one channel run one after another, so two keys failing together cannot overwrite
 * each other's entry in channel_info.
 */
export class DisableTracker {
  private readonly keys = new Map<number, Set<number>>();
  private readonly queues = new Map<number, Promise<unknown>>();

  /** Marks a key as being disabled; false when it already is. */
  beginKey(channelId: number, keyIndex: number): boolean {
    const keys = this.keys.get(channelId) ?? new Set<number>();
    if (keys.has(keyIndex)) return false;
    keys.add(keyIndex);
    this.keys.set(channelId, keys);
    return true;
  }

  /** The disable is written and indexed (or failed, and may be tried again). */
  endKey(channelId: number, keyIndex: number): void {
    const keys = this.keys.get(channelId);
    keys?.delete(keyIndex);
    if (keys?.size === 0) this.keys.delete(channelId);
  }

  /** Keys of the channel being disabled right now. */
  keysOf(channelId: number): ReadonlySet<number> | undefined {
    return this.keys.get(channelId);
  }

  /** Runs `write` once the channel's earlier writes have settled (whatever their outcome). */
  enqueue<T>(channelId: number, write: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(channelId) ?? Promise.resolve();
    const next = previous.then(write, write);
    this.queues.set(channelId, next);
    const forget = () => {
      if (this.queues.get(channelId) === next) this.queues.delete(channelId);
    };
    next.then(forget, forget);
    return next;
  }

  /** Channels with writes queued or running (for tests and shutdown). */
  get busyChannels(): number {
    return this.queues.size;
  }
}
