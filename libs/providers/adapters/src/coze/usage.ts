import type { Usage } from '@your-api/providers-core';
import { isObject, tokenCount } from '../chat-pivot/json-fields';

/** A Coze chat's `usage` ({token_count, input_count, output_count}) as our Usage, or null when it counts nothing. */
export function usageFromCoze(json: unknown): Usage | null {
  if (!isObject(json)) return null;
  const promptTokens = tokenCount(json.input_count);
  const completionTokens = tokenCount(json.output_count);
  const totalTokens = tokenCount(json.token_count) || promptTokens + completionTokens;
  if (totalTokens === 0) return null;
  return { promptTokens, completionTokens, totalTokens, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
}
