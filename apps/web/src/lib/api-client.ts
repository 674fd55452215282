import type { ApiEnvelope } from '@your-api/contracts';
import { getUserId } from './session';

/**
 * Typed fetch wrapper for the management API (`/api/*`).
 *
 * - In the browser the base URL is '' (same origin): the web server proxies
 *   `/api/*` to the API at run time, so cookies stay first-party.
 * - Always sends `credentials: 'include'` and, once logged in,
 *   `New-Api-User: <id>` (New API requires it alongside the session cookie).
 * - Never throws for HTTP or envelope errors: it resolves to the envelope
 *   plus the HTTP status, so callers just check `res.success` and show
 *   `res.message`. Only an aborted request rejects.
 */
export type ApiResult<T> = ApiEnvelope<T> & {
  /** HTTP status; 0 when the request never got an answer. */
  status: number;
};

export type QueryValue = string | number | boolean | null | undefined;

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** Serialized as JSON unless it is FormData/Blob/string. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  /** '' (same origin) in the browser; the API origin on the server. */
  baseUrl?: string;
  /** Returns the logged-in user id for the New-Api-User header. */
  userId?: () => number | null;
  /** Extra headers on every request (e.g. a forwarded Cookie on the server). */
  headers?: () => Record<string, string>;
  fetchImpl?: typeof fetch;
}

export function buildQuery(query?: Record<string, QueryValue>): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function isRawBody(body: unknown): body is BodyInit {
  return (
    typeof body === 'string' ||
    (typeof FormData !== 'undefined' && body instanceof FormData) ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams)
  );
}

export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const userId = options.userId ?? getUserId;

  async function request<T = unknown>(path: string, opts: ApiRequestOptions = {}): Promise<ApiResult<T>> {
    const method = opts.method ?? 'GET';
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...(options.headers?.() ?? {}),
      ...(opts.headers ?? {}),
    };
    const id = userId();
    if (id !== null && !('New-Api-User' in headers)) headers['New-Api-User'] = String(id);

    let body: BodyInit | undefined;
    if (opts.body !== undefined) {
      if (isRawBody(opts.body)) {
        body = opts.body;
      } else {
        body = JSON.stringify(opts.body);
        headers['Content-Type'] = 'application/json';
      }
    }

    const doFetch = options.fetchImpl ?? fetch;
    let res: Response;
    try {
      res = await doFetch(`${baseUrl}${path}${buildQuery(opts.query)}`, {
        method,
        headers,
        body,
        credentials: 'include',
        cache: 'no-store',
        signal: opts.signal,
      });
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') throw err;
      return { success: false, message: err instanceof Error ? err.message : String(err), status: 0 };
    }

    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed === 'object' && 'success' in parsed) {
      const env = parsed as ApiEnvelope<T>;
      return { ...env, message: env.message ?? '', status: res.status };
    }
    return {
      success: false,
      message: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`,
      status: res.status,
    };
  }

  return {
    request,
    get: <T = unknown>(path: string, opts?: Omit<ApiRequestOptions, 'method' | 'body'>) =>
      request<T>(path, { ...opts, method: 'GET' }),
    post: <T = unknown>(path: string, body?: unknown, opts?: Omit<ApiRequestOptions, 'method' | 'body'>) =>
      request<T>(path, { ...opts, method: 'POST', body }),
    put: <T = unknown>(path: string, body?: unknown, opts?: Omit<ApiRequestOptions, 'method' | 'body'>) =>
      request<T>(path, { ...opts, method: 'PUT', body }),
    del: <T = unknown>(path: string, opts?: Omit<ApiRequestOptions, 'method'>) =>
      request<T>(path, { ...opts, method: 'DELETE' }),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The browser client: same origin, New-Api-User from localStorage. */
export const api: ApiClient = createApiClient();
