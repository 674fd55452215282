/** What the picker needs to know of a channel. */
export interface RoutableChannel {
  id: number;
  priority: number;
  weight: number;
}

/** Distinct priorities, highest first. */
export function priorityTiers(candidates: readonly RoutableChannel[]): number[] {
  return [...new Set(candidates.map((c) => c.priority))].sort((a, b) => b - a);
}

/**
 * New API's selection: attempt `retryIndex` uses the retryIndex-th highest priority tier (the
 * lowest is reused after that), then a weighted random draw inside the tier. Weights are
 * smoothed as New API does: all zero → equal, small (mean < 10) → ×100 so a weight of 0 still
 * means "rarely", not "never".
 *
 * Your API addition: channels already tried by this request are skipped while the tier has
 * others, so a retry really goes somewhere else.
 */
export function pickChannel<C extends RoutableChannel>(
  candidates: readonly C[],
  retryIndex: number,
  tried: ReadonlySet<number> = new Set(),
  random: () => number = Math.random,
): C | null {
  if (candidates.length === 0) return null;
  const tiers = priorityTiers(candidates);
  const priority = tiers[Math.min(retryIndex, tiers.length - 1)];
  const tier = candidates.filter((c) => c.priority === priority);
  let pool = tier.filter((c) => !tried.has(c.id));
  if (pool.length === 0) {
    // The tier is used up: try any untried channel before repeating one.
    pool = candidates.filter((c) => !tried.has(c.id));
    if (pool.length === 0) pool = tier;
    else {
      const best = Math.max(...pool.map((c) => c.priority));
      pool = pool.filter((c) => c.priority === best);
    }
  }
  return weightedDraw(pool, random);
}

export function weightedDraw<C extends RoutableChannel>(pool: readonly C[], random: () => number): C {
  if (pool.length === 1) return pool[0];
  const sum = pool.reduce((total, c) => total + Math.max(0, c.weight), 0);
  const weightOf =
    sum === 0 ? () => 100 : sum / pool.length < 10 ? (c: C) => Math.max(0, c.weight) * 100 + 1 : (c: C) => Math.max(0, c.weight);
  const total = pool.reduce((acc, c) => acc + weightOf(c), 0);
  let draw = random() * total;
  for (const channel of pool) {
    draw -= weightOf(channel);
    if (draw < 0) return channel;
  }
  return pool[pool.length - 1];
}
