import type { Request } from 'express';
import { requestPath } from './request-fields';

/** The error body shapes the gateway speaks; chosen per request. */
export type ErrorFormat = 'management' | 'openai' | 'claude' | 'gemini' | 'midjourney' | 'task';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by a route that speaks a protocol other than its path suggests (e.g. /v1/messages → claude). */
    errorFormat?: ErrorFormat;
  }
}

export function errorFormatOf(req: Request): ErrorFormat {
  if (req.errorFormat) return req.errorFormat;
  const path = requestPath(req);
  if (path.startsWith('/api/') || path === '/api') return 'management';
  if (path.startsWith('/v1/messages')) return 'claude';
  if (path.startsWith('/v1beta/')) return 'gemini';
  if (path.startsWith('/mj/') || /^\/[^/]+\/mj\//.test(path)) return 'midjourney';
  if (path.startsWith('/suno/')) return 'task';
  return 'openai';
}

const GEMINI_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const OPENAI_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
};

const CLAUDE_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

/** Renders one error in the caller's protocol. `code` is our `area/reason` code. */
export function renderError(format: ErrorFormat, status: number, code: string, message: string): unknown {
  switch (format) {
    case 'management':
      return { success: false, message };
    case 'openai':
      return {
        error: { message, type: OPENAI_TYPE[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), param: null, code },
      };
    case 'claude':
      return { type: 'error', error: { type: CLAUDE_TYPE[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message } };
    case 'gemini':
      return { error: { code: status, message, status: GEMINI_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION') } };
    case 'midjourney':
      return { code: status >= 500 ? 23 : 4, description: message, result: null };
    case 'task':
      // New API's TaskError: `{code, message, data}` (the code names the reason).
      return { code: code.includes('/') ? code.slice(code.indexOf('/') + 1) : code, message, data: null };
  }
}
