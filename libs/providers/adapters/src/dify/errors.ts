import type { ProviderErrorDetail } from '@your-api/providers-core';
import { readFlatError } from '../chat-pivot/errors';

/** Reads a Dify error body `{"code":"invalid_param","message":"…","status":400}`. */
export function readDifyError(json: unknown): ProviderErrorDetail {
  return readFlatError(json);
}
