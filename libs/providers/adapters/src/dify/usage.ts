import { usageFromOpenAi, type Usage } from '@your-api/providers-core';
import { isObject, objectField } from '../chat-pivot/json-fields';

/**
 * `metadata.usage` of a Dify reply (OpenAI's field names, plus prices the gateway ignores), or
 * null when it counts nothing, so the relay counts the answer itself (New API does the same).
 */
export function usageFromDifyMetadata(metadata: unknown): Usage | null {
  const usage = usageFromOpenAi(objectField(isObject(metadata) ? metadata : {}, 'usage'));
  return usage && usage.totalTokens > 0 ? usage : null;
}
