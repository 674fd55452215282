import type { ProviderErrorDetail } from '@your-api/providers-core';
import type { GeminiErrorBody } from './wire-types';
import { isRecord } from './json-values';

/** Google RPC status names by HTTP status, as Gemini puts them in `error.status`. */
const STATUS_NAMES: Readonly<Record<number, string>> = Object.freeze({
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
});

export function geminiErrorStatus(status: number): string {
  return STATUS_NAMES[status] ?? 'UNKNOWN';
}

/** Gemini's error body for an HTTP status and a message. */
export function geminiErrorBody(status: number, message: string): GeminiErrorBody {
  return { error: { code: status, message, status: geminiErrorStatus(status) } };
}


/**
 * Reads a Gemini error body: `{error:{code,message,status}}`, or that wrapped in a JSON array
 * (the non-SSE stream endpoint answers with an array of responses).
 */
export function readGeminiError(json: unknown): ProviderErrorDetail {
  const body = Array.isArray(json) ? (json as unknown[])[0] : json;
  const error = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : {};
  const code = error.code;
  return {
    message: typeof error.message === 'string' ? error.message : '',
    type: typeof error.status === 'string' ? error.status : '',
    code: typeof code === 'number' || typeof code === 'string' ? String(code) : '',
  };
}
