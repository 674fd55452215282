import type { ProviderErrorDetail } from '@your-api/providers-core';
import { readFlatError } from '../chat-pivot/errors';

/** Reads a Cohere error body `{"id":"…","message":"…"}` (Cohere sends no type or code). */
export function readCohereError(json: unknown): ProviderErrorDetail {
  return readFlatError(json);
}
