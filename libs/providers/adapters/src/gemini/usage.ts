import type { Usage } from '@your-api/providers-core';
import type { GeminiUsageMetadata } from './wire-types';

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

/**
 * Gemini `usageMetadata` in OpenAI semantics (protocols.md §3.4 "Usage → OpenAI"). Gemini's
 * `candidatesTokenCount` excludes thoughts, so thoughts are added back: billing only candidates
 * under-charges thinking models.
 */
export function usageFromGemini(metadata: GeminiUsageMetadata): Usage {
  const promptTokens = count(metadata.promptTokenCount) + count(metadata.toolUsePromptTokenCount);
  const reasoningTokens = count(metadata.thoughtsTokenCount);
  const completionTokens = count(metadata.candidatesTokenCount) + reasoningTokens;
  return {
    promptTokens,
    completionTokens,
    totalTokens: count(metadata.totalTokenCount) || promptTokens + completionTokens,
    cachedTokens: count(metadata.cachedContentTokenCount),
    cacheWriteTokens: 0,
    reasoningTokens,
  };
}

/** Our Usage as Gemini `usageMetadata` (for Gemini-format clients): candidates exclude thoughts. */
export function usageToGeminiMetadata(usage: Usage): GeminiUsageMetadata {
  const metadata: GeminiUsageMetadata = {
    promptTokenCount: usage.promptTokens,
    candidatesTokenCount: Math.max(0, usage.completionTokens - usage.reasoningTokens),
    totalTokenCount: usage.totalTokens || usage.promptTokens + usage.completionTokens,
  };
  if (usage.reasoningTokens > 0) metadata.thoughtsTokenCount = usage.reasoningTokens;
  if (usage.cachedTokens > 0) metadata.cachedContentTokenCount = usage.cachedTokens;
  return metadata;
}
