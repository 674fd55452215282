import { readOpenAiError } from '@your-api/provider-adapters';
import { isRetryableStatus, ProviderErrorDetail, UpstreamError } from '@your-api/providers-core';
import { Dispatcher, errors, FormData } from 'undici';
import { mapStatusCode } from '../routing/channel-settings';

export interface UpstreamCall {
  url: string;
  headers: Record<string, string>;
  body: string | Buffer | FormData;
  dispatcher: Dispatcher;
  signal: AbortSignal;
  /** Time allowed until the response headers arrive (RELAY_TIMEOUT). */
  headersTimeoutMs: number;
  /** Longest silence allowed between body chunks (STREAMING_TIMEOUT). */
  bodyTimeoutMs: number;
}

/** Largest upstream error body read (errors are short; a misbehaving upstream must not flood memory). */
const MAX_ERROR_BODY = 64 * 1024;

/** Origin and path of the upstream URLs seen so far: a channel's few URLs come back on every request. */
const targets = new Map<string, { origin: string; path: string }>();
const TARGETS_LIMIT = 1024;

/** Origin and path of `url`, parsed once (undici's top-level request() parses the URL on every call). */
function targetOf(url: string): { origin: string; path: string } {
  let target = targets.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (targets.size >= TARGETS_LIMIT) targets.clear();
    targets.set(url, target);
  }
  return target;
}

/** Sends one request upstream; connection failures and timeouts become retryable UpstreamErrors. */
export async function openUpstream(call: UpstreamCall): Promise<Dispatcher.ResponseData> {
  try {
    const { origin, path } = targetOf(call.url);
    return await call.dispatcher.request({
      origin,
      path,
      method: 'POST',
      headers: call.headers,
      body: call.body,
      signal: call.signal,
      headersTimeout: call.headersTimeoutMs,
      bodyTimeout: call.bodyTimeoutMs,
    });
  } catch (error) {
    // undici reports a proxy that refuses the CONNECT tunnel as an aborted request: when the
    // client did not cancel, it is a failed connection (retryable), not a cancellation.
    if (!call.signal.aborted && error instanceof errors.RequestAbortedError) {
      throw new UpstreamError(502, 'upstream/unreachable', 'Could not reach the upstream through the channel proxy', true);
    }
    throw toUpstreamError(error);
  }
}

/** Maps transport failures to safe, retryable errors (the message never includes the URL). */
export function toUpstreamError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new UpstreamError(504, 'upstream/timeout', 'The upstream did not answer in time', true);
  }
  if (error instanceof errors.RequestAbortedError || (error instanceof Error && error.name === 'AbortError')) {
    return new UpstreamError(499, 'upstream/aborted', 'The request was cancelled', false);
  }
  const code = (error as { code?: string } | null)?.code ?? '';
  return new UpstreamError(502, 'upstream/unreachable', `Could not reach the upstream${code ? ` (${code})` : ''}`, true);
}

/**
 * Reads an upstream error response into an UpstreamError: the channel's status-code mapping is
 * applied first (it decides retries too), and the provider's message is kept for the client.
 */
export async function readUpstreamError(
  response: Dispatcher.ResponseData,
  statusCodeMapping: Record<string, string> | null,
  readError: (json: unknown) => ProviderErrorDetail = readOpenAiError,
): Promise<UpstreamError> {
  let text = '';
  let received = 0;
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer;
    received += buffer.length;
    if (received > MAX_ERROR_BODY) {
      response.body.destroy();
      break;
    }
    text += buffer.toString('utf8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const detail = readError(parsed);
  const status = mapStatusCode(statusCodeMapping, response.statusCode);
  const message = detail.message || text.trim().slice(0, 500) || `The upstream answered HTTP ${response.statusCode}`;
  return new UpstreamError(status, 'upstream/error', message, isRetryableStatus(status), detail.type, detail.code);
}

/** Reads a whole (successful) upstream body as text. */
export async function readBodyText(response: Dispatcher.ResponseData): Promise<string> {
  return response.body.text();
}
