import type { Usage } from '@your-api/providers-core';
import { isObject, tokenCount } from './json-guards';
import type { ClaudeUsageJson } from './wire-types';

/** The token counts of a Claude `usage` object as sent (0 for anything missing). */
export interface ClaudeTokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

export function readClaudeTokenCounts(json: unknown): ClaudeTokenCounts {
  const usage = isObject(json) ? json : {};
  return {
    input: tokenCount(usage.input_tokens),
    output: tokenCount(usage.output_tokens),
    cacheRead: tokenCount(usage.cache_read_input_tokens),
    cacheCreation: tokenCount(usage.cache_creation_input_tokens),
  };
}

/**
 * Claude counts → our Usage in OpenAI semantics: Claude's input_tokens excludes the cache, so the
 * prompt is input + cache reads + cache writes, and the cache counts are subsets of it.
 */
export function usageFromClaudeCounts(counts: ClaudeTokenCounts): Usage {
  const promptTokens = counts.input + counts.cacheRead + counts.cacheCreation;
  return {
    promptTokens,
    completionTokens: counts.output,
    totalTokens: promptTokens + counts.output,
    cachedTokens: counts.cacheRead,
    cacheWriteTokens: counts.cacheCreation,
    reasoningTokens: 0,
  };
}

/** Our Usage → a Claude `usage` object: the cache is taken back out of input_tokens (never below 0). */
export function claudeUsageFromUsage(usage: Usage): ClaudeUsageJson {
  return {
    input_tokens: Math.max(0, usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens),
    output_tokens: usage.completionTokens,
    cache_read_input_tokens: usage.cachedTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
  };
}
