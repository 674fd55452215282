/** Token usage of one response, normalised across providers. Subsets are included in their totals. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens read from the provider's cache (subset of promptTokens for OpenAI semantics). */
  cachedTokens: number;
  /** Prompt tokens written to the cache. */
  cacheWriteTokens: number;
  /** Completion tokens spent on reasoning (subset of completionTokens). */
  reasoningTokens: number;
}

export const ZERO_USAGE: Readonly<Usage> = Object.freeze({
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error' | 'other';

interface OpenAiUsageJson {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  /** Responses API and realtime name them input/output. */
  input_tokens_details?: { cached_tokens?: number } | null;
  output_tokens_details?: { reasoning_tokens?: number } | null;
  prompt_cache_hit_tokens?: number;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

const n = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

/** Reads an OpenAI-shaped `usage` object (chat, completions, embeddings; DeepSeek's cache-hit field too). */
export function usageFromOpenAi(json: unknown): Usage | null {
  if (typeof json !== 'object' || json === null) return null;
  const usage = json as OpenAiUsageJson;
  const promptTokens = n(usage.prompt_tokens ?? usage.input_tokens);
  const completionTokens = n(usage.completion_tokens ?? usage.output_tokens);
  return {
    promptTokens,
    completionTokens,
    totalTokens: n(usage.total_tokens) || promptTokens + completionTokens,
    cachedTokens: n(usage.prompt_tokens_details?.cached_tokens) || n(usage.input_tokens_details?.cached_tokens) || n(usage.prompt_cache_hit_tokens),
    cacheWriteTokens: n(usage.prompt_tokens_details?.cache_write_tokens),
    reasoningTokens: n(usage.completion_tokens_details?.reasoning_tokens) || n(usage.output_tokens_details?.reasoning_tokens),
  };
}

export function mapOpenAiFinishReason(reason: unknown): FinishReason | null {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'function_call':
      return 'tool_calls';
    case null:
    case undefined:
      return null;
    default:
      return 'other';
  }
}
