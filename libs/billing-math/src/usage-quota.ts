import { priceQuota, textQuota } from './quota';
import type { ResolvedPricing } from './ratios';

/** Token counts of one reply in OpenAI semantics (the prompt includes cache reads and writes). */
export interface UsageTokens {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
}

/**
 * The quota of one reply under a model's resolved pricing: its per-call price (× other ratios such
 * as image n and size) when it has one, else the token formula with cache reads and writes.
 */
export function quotaForUsage(pricing: ResolvedPricing, usage: UsageTokens, quotaPerUnit: number, otherRatios: Record<string, number> = {}): number {
  if (pricing.usePrice) {
    return priceQuota({ modelPrice: pricing.modelPrice, groupRatio: pricing.groupRatio, quotaPerUnit, otherRatios });
  }
  return textQuota({
    promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens,
    cachedTokens: usage.cachedTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    anthropicSemantics: false,
    modelRatio: pricing.modelRatio,
    completionRatio: pricing.completionRatio,
    cacheRatio: pricing.cacheRatio,
    cacheCreationRatio: pricing.cacheCreationRatio,
    groupRatio: pricing.groupRatio,
  });
}
