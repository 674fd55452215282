import type { OpenAiFinishReason, Usage } from '@your-api/providers-core';
import { isObject, objectField, tokenCount } from '../chat-pivot/json-fields';

/**
 * Cohere `usage` as our Usage. `billed_units` is what Cohere charges and what New API bills;
 * `tokens` (which also counts Cohere's own prompt template) is the fallback when no billed units came.
 */
export function usageFromCohere(json: unknown): Usage | null {
  if (!isObject(json)) return null;
  const billed = objectField(json, 'billed_units');
  const tokens = objectField(json, 'tokens');
  const useBilled = tokenCount(billed.input_tokens) > 0 || tokenCount(billed.output_tokens) > 0;
  const counts = useBilled ? billed : tokens;
  const promptTokens = tokenCount(counts.input_tokens);
  const completionTokens = tokenCount(counts.output_tokens);
  if (promptTokens === 0 && completionTokens === 0) return null;
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
}

/** Cohere's finish reasons that mean the generation failed rather than ended. */
export function isCohereFailure(reason: unknown): boolean {
  return reason === 'ERROR' || reason === 'TIMEOUT';
}

/**
 * A Cohere finish_reason as OpenAI's. Unknown reasons read as "stop"; ERROR and TIMEOUT are not
 * mapped here because they are failures (see isCohereFailure). Null while a stream is still going.
 */
export function finishReasonFromCohere(reason: unknown): OpenAiFinishReason | null {
  switch (reason) {
    case undefined:
    case null:
    case '':
      return null;
    case 'MAX_TOKENS':
      return 'length';
    case 'TOOL_CALL':
      return 'tool_calls';
    default:
      // COMPLETE, STOP_SEQUENCE and reasons newer than this code.
      return 'stop';
  }
}
