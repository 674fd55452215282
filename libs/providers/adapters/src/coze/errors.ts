import type { ProviderErrorDetail } from '@your-api/providers-core';
import { readFlatError } from '../chat-pivot/errors';

/** Reads a Coze error body `{"code":4100,"msg":"…"}` (the code is Coze's number, as text). */
export function readCozeError(json: unknown): ProviderErrorDetail {
  return readFlatError(json);
}
