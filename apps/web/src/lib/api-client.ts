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
export type ApiResult<T, Extra = unknown> = ApiEnvelope<T> &
  Partial<Extra> & {
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

/** A failed call: no `data` and none of the extra fields. */
function failure<T, Extra>(message: string, status: number): ApiResult<T, Extra> {
  return { success: false, message, status } as ApiResult<T, Extra>;
}

export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const userId = options.userId ?? getUserId;

  /** `Extra`: fields some routes send beside `data` (e.g. `group_ratio` of /api/pricing). */
  async function request<T = unknown, Extra = unknown>(path: string, opts: ApiRequestOptions = {}): Promise<ApiResult<T, Extra>> {
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
      return failure<T, Extra>(err instanceof Error ? err.message : String(err), 0);
    }

    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed === 'object' && 'success' in parsed) {
      const env = parsed as ApiEnvelope<T> & Partial<Extra>;
      return { ...env, message: env.message ?? '', status: res.status };
    }
    return failure<T, Extra>(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, res.status);
  }

  return {
    request,
    get: <T = unknown, Extra = unknown>(path: string, opts?: Omit<ApiRequestOptions, 'method' | 'body'>) =>
      request<T, Extra>(path, { ...opts, method: 'GET' }),
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

/** A chat message as /pg/chat/completions takes it (text only: what the playground sends). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The parts of a chat chunk or completion the playground reads. */
interface ChatReply {
  choices?: Array<{
    delta?: { content?: string | null; reasoning_content?: string | null };
    message?: { content?: string | null };
  }>;
  error?: { message?: string };
}

export interface PlaygroundBodyInput {
  model: string;
  /** '' for the user's own group. */
  group: string;
  messages: ChatMessage[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stream: boolean;
}

/** The body the playground sends: an OpenAI chat request plus New API's `group` field. */
export function playgroundBody(input: PlaygroundBodyInput): Record<string, unknown> {
  return {
    model: input.model,
    ...(input.group ? { group: input.group } : {}),
    messages: input.messages,
    stream: input.stream,
    ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
    ...(input.topP !== undefined ? { top_p: input.topP } : {}),
    ...(input.maxTokens ? { max_tokens: input.maxTokens } : {}),
  };
}

export interface PlaygroundChatOptions {
  /** The whole request body, sent as is (`stream: true` reads server-sent events). */
  body: Record<string, unknown>;
  signal?: AbortSignal;
  /** Called with each piece of text as it arrives (once, with the whole text, without streaming). */
  onDelta: (text: string) => void;
  /** Called with each raw piece of the answer (event data, or the JSON body), for the debug view. */
  onRaw?: (text: string) => void;
}

/**
 * POST /pg/chat/completions through the web origin's proxy, as the logged-in user (session cookie
 * plus New-Api-User; no API key): billed to the user's wallet. Resolves with the whole reply;
 * rejects with the API's error message when the request is refused or the stream reports an error.
 */
export async function playgroundChat(opts: PlaygroundChatOptions, fetchImpl: typeof fetch = fetch, userId: () => number | null = getUserId): Promise<string> {
  const stream = opts.body.stream === true;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: stream ? 'text/event-stream' : 'application/json',
  };
  const id = userId();
  if (id !== null) headers['New-Api-User'] = String(id);
  const res = await fetchImpl('/pg/chat/completions', {
    method: 'POST',
    headers,
    body: JSON.stringify(opts.body),
    credentials: 'include',
    signal: opts.signal,
    cache: 'no-store',
  });
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => '');
    if (text) opts.onRaw?.(text);
    let message = `HTTP ${res.status}`;
    try {
      message = (JSON.parse(text) as ChatReply).error?.message || message;
    } catch {
      if (text) message = text.slice(0, 300);
    }
    throw new Error(message);
  }
  if (!res.headers.get('content-type')?.includes('text/event-stream')) {
    const text = await res.text();
    opts.onRaw?.(text);
    let reply: ChatReply;
    try {
      reply = JSON.parse(text) as ChatReply;
    } catch {
      throw new Error(text.slice(0, 300) || `HTTP ${res.status}`);
    }
    if (reply.error?.message) throw new Error(reply.error.message);
    const content = reply.choices?.[0]?.message?.content ?? '';
    if (content) opts.onDelta(content);
    return content;
  }
  const { EventSourceParserStream } = await import('eventsource-parser/stream');
  let reply = '';
  const events = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    opts.onRaw?.(value.data);
    if (value.data === '[DONE]') break;
    let chunk: ChatReply;
    try {
      chunk = JSON.parse(value.data) as ChatReply;
    } catch {
      continue; // keep-alive comments and unknown frames
    }
    if (chunk.error?.message) throw new Error(chunk.error.message);
    const delta = chunk.choices?.[0]?.delta?.content ?? '';
    if (delta) {
      reply += delta;
      opts.onDelta(delta);
    }
  }
  return reply;
}
