import 'server-only';
import http from 'node:http';
import https from 'node:https';
import { Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { apiBaseUrl } from '@/lib/config';

/**
 * Run-time reverse proxy from the web origin to the API (API_BASE_URL).
 *
 * Used by the catch-all route handlers under app/{api,v1,...}. It is built on
 * node:http rather than fetch() because fetch (undici) transparently
 * decompresses bodies, applies a 300 s headers timeout (too short for slow
 * LLM answers) and cannot stream a request body without extra flags. Here the
 * bytes stream through in both directions:
 *  - method, path + query string and body (streamed, never buffered);
 *  - request headers incl. Cookie / Authorization / New-Api-User, minus
 *    hop-by-hop headers; Host is the upstream's, the original one goes in
 *    X-Forwarded-Host;
 *  - status, response headers incl. every Set-Cookie, and the body as a
 *    stream (SSE chunks are flushed as they arrive). Next.js drops
 *    Content-Encoding from route-handler responses (and compresses on its
 *    own), so the API is asked for `identity`; should it compress anyway,
 *    the body is decoded here;
 *  - a client disconnect aborts the upstream request.
 */

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** Headers Next.js uses internally; they must never reach the API. */
function isInternalHeader(name: string): boolean {
  return (
    name.startsWith('x-middleware-') ||
    name.startsWith('x-invoke-') ||
    name === 'x-nextjs-data' ||
    name === 'next-router-state-tree' ||
    name === 'next-router-prefetch' ||
    name === 'next-router-segment-prefetch' ||
    name === 'next-url' ||
    name === 'rsc'
  );
}

/** Statuses whose response must not have a body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

export function buildUpstreamUrl(requestUrl: string, base: string = apiBaseUrl()): URL {
  const incoming = new URL(requestUrl);
  const upstream = new URL(base);
  // Keep a path prefix the base URL may carry (e.g. http://gw/internal).
  const prefix = upstream.pathname.replace(/\/+$/, '');
  upstream.pathname = prefix + incoming.pathname;
  upstream.search = incoming.search;
  return upstream;
}

function requestHeaders(request: Request, target: URL): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  const connectionListed = new Set(
    (request.headers.get('connection') ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  request.headers.forEach((value, key) => {
    const name = key.toLowerCase();
    if (HOP_BY_HOP.has(name) || connectionListed.has(name) || isInternalHeader(name)) return;
    if (name === 'host' || name === 'accept-encoding') return;
    out[name] = value;
  });
  out['accept-encoding'] = 'identity';
  const incoming = new URL(request.url);
  const originalHost = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? incoming.host;
  out['x-forwarded-host'] = originalHost;
  out['x-forwarded-proto'] =
    request.headers.get('x-forwarded-proto') ?? incoming.protocol.replace(':', '');
  out['host'] = target.host;
  return out;
}

function responseHeaders(res: http.IncomingMessage): Headers {
  const headers = new Headers();
  const connectionListed = new Set(
    String(res.headers['connection'] ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  for (const [key, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    const name = key.toLowerCase();
    if (HOP_BY_HOP.has(name) || connectionListed.has(name)) continue;
    if (Array.isArray(value)) {
      for (const v of value) headers.append(name, v);
    } else {
      headers.set(name, value);
    }
  }
  const type = headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    // Keep intermediaries (incl. Next's own gzip) from holding SSE chunks back.
    const cc = headers.get('cache-control');
    if (!cc || !/no-transform/i.test(cc)) {
      headers.set('cache-control', cc ? `${cc}, no-transform` : 'no-cache, no-transform');
    }
    headers.set('x-accel-buffering', 'no');
  }
  return headers;
}

/** A decoder for the upstream's Content-Encoding, or null when none is needed. */
function decoderFor(encoding: string | undefined): Transform | null {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      return zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH });
    case 'br':
      return zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      return null;
  }
}

function badGateway(request: Request, detail: string): Response {
  const path = new URL(request.url).pathname;
  const message = `The API server is unreachable (${detail}).`;
  const body = path.startsWith('/api/')
    ? { success: false, message }
    : { error: { message, type: 'bad_gateway', code: 'api_unreachable' } };
  return Response.json(body, { status: 502 });
}

export async function forwardToApi(request: Request): Promise<Response> {
  let target: URL;
  try {
    target = buildUpstreamUrl(request.url);
  } catch {
    return badGateway(request, 'API_BASE_URL is not a valid URL');
  }
  const isHttps = target.protocol === 'https:';
  const headers = requestHeaders(request, target);
  const method = request.method.toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD' && request.body !== null;

  return new Promise<Response>((resolve) => {
    let settled = false;
    const settle = (r: Response) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };

    const upstreamReq = (isHttps ? https : http).request(
      target,
      { method, headers, agent: isHttps ? httpsAgent : httpAgent },
      (res) => {
        const status = res.statusCode ?? 502;
        const outHeaders = responseHeaders(res);
        if (NULL_BODY_STATUSES.has(status) || method === 'HEAD') {
          res.resume();
          settle(new Response(null, { status, statusText: res.statusMessage, headers: outHeaders }));
          return;
        }
        let source: Readable = res;
        const decoder = decoderFor(res.headers['content-encoding']);
        if (decoder) {
          outHeaders.delete('content-encoding');
          outHeaders.delete('content-length');
          res.on('error', (err) => decoder.destroy(err));
          decoder.on('close', () => res.destroy());
          source = res.pipe(decoder);
        }
        const body = Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>;
        settle(new Response(body, { status, statusText: res.statusMessage, headers: outHeaders }));
      },
    );

    upstreamReq.on('error', (err: NodeJS.ErrnoException) => {
      settle(badGateway(request, err.code ?? err.message));
    });

    const onAbort = () => upstreamReq.destroy(new Error('client aborted'));
    if (request.signal.aborted) {
      onAbort();
      return;
    }
    request.signal.addEventListener('abort', onAbort, { once: true });
    upstreamReq.on('close', () => request.signal.removeEventListener('abort', onAbort));

    if (hasBody && request.body) {
      const body = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>);
      body.on('error', (err) => upstreamReq.destroy(err));
      body.pipe(upstreamReq);
    } else {
      upstreamReq.end();
    }
  });
}
