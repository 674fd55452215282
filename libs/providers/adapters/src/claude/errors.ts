import type { ProviderErrorDetail } from '@your-api/providers-core';
import { isObject, stringField } from './json-guards';
import type { ClaudeErrorBody } from './wire-types';

/** protocols.md §2.1: Anthropic's error type for each HTTP status. */
const ERROR_TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Anthropic's error type for a status: the table, then api_error for other 5xx, invalid_request_error otherwise. */
export function claudeErrorType(status: number): string {
  return ERROR_TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function claudeErrorBody(status: number, message: string): ClaudeErrorBody {
  return { type: 'error', error: { type: claudeErrorType(status), message } };
}

/**
 * Reads an Anthropic error body `{type:"error",error:{type,message}}`. A body that is not JSON or has
 * no message gives an empty message, so the caller can fall back to the raw text or the status.
 */
export function readClaudeError(json: unknown): ProviderErrorDetail {
  const body = isObject(json) ? json : {};
  const error = isObject(body.error) ? body.error : body;
  const code = error.code;
  return {
    message: stringField(error, 'message') || (typeof body.error === 'string' ? body.error : ''),
    type: stringField(error, 'type'),
    // Anthropic sends no code; OpenAI-shaped bodies from proxies in front of Claude may.
    code: typeof code === 'string' ? code : typeof code === 'number' ? String(code) : '',
  };
}
