/**
 * A fake Vertex AI: a real HTTP server with Google's OAuth token endpoint (JWT bearer grant, the
 * assertion's RS256 signature checked against the test key pair's public key) and the two
 * publisher routes the gateway uses: Gemini's generateContent / streamGenerateContent?alt=sse and
 * Anthropic's rawPredict / streamRawPredict. Model routes accept only tokens it issued.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeHttpServer } from './fake-http-server';

export interface FakeVertexOptions {
  /** The service account's public key (PEM or KeyObject): assertions must verify against it. */
  publicKey: string | KeyObject;
  clientEmail: string;
  projectId: string;
  /** Lifetime announced for issued tokens (`expires_in`), default 3599 s. */
  tokenLifetimeSeconds?: number;
}

export interface FakeVertexBehaviour {
  status?: number;
  errorMessage?: string;
  reply?: string;
  promptTokens?: number;
  completionTokens?: number;
}

export interface RecordedVertexRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  publisher: 'google' | 'anthropic';
  region: string;
  model: string;
  action: string;
}

export interface RecordedTokenRequest {
  /** The verified assertion's claims. */
  claims: Record<string, unknown>;
  header: Record<string, unknown>;
  issuedToken: string;
}

export interface FakeVertex {
  url: string;
  /** Put this in the service-account JSON as `token_uri`. */
  tokenUri: string;
  requests: RecordedVertexRequest[];
  tokenRequests: RecordedTokenRequest[];
  /** Token requests refused (bad signature, wrong issuer, expired …), with the reason. */
  refusedTokenRequests: string[];
  behave(behaviour: FakeVertexBehaviour): void;
  close(): Promise<void>;
}

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const MODEL_ROUTE = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/(google|anthropic)\/models\/([^/:]+):([A-Za-z]+)$/;

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const googleError = (res: ServerResponse, status: number, message: string, statusName: string) =>
  sendJson(res, status, { error: { code: status, message, status: statusName } });

function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export async function startFakeVertex(options: FakeVertexOptions, initial: FakeVertexBehaviour = {}): Promise<FakeVertex> {
  const publicKey = typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey;
  let behaviour = initial;
  let issued = 0;
  const liveTokens = new Set<string>();
  const requests: RecordedVertexRequest[] = [];
  const tokenRequests: RecordedTokenRequest[] = [];
  const refusedTokenRequests: string[] = [];
  let tokenUri = '';

  const server = await startFakeHttpServer((req, raw, res) => {
    if ((req.url ?? '') === '/token') return answerToken(raw, res);
    answerModel(req, raw, res);
  });

  /** Refuses with Google's OAuth error shape and records why. */
  function refuse(res: ServerResponse, reason: string, description: string): void {
    refusedTokenRequests.push(reason);
    sendJson(res, 400, { error: 'invalid_grant', error_description: description });
  }

  function answerToken(raw: string, res: ServerResponse): void {
    const form = new URLSearchParams(raw);
    if (form.get('grant_type') !== JWT_BEARER_GRANT) return refuse(res, 'grant_type', 'Invalid grant_type.');
    const parts = (form.get('assertion') ?? '').split('.');
    if (parts.length !== 3) return refuse(res, 'malformed', 'Invalid JWT.');
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = decodeSegment(parts[0]);
      claims = decodeSegment(parts[1]);
    } catch {
      return refuse(res, 'malformed', 'Invalid JWT.');
    }
    const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], 'base64url'));
    if (header.alg !== 'RS256' || !signed) return refuse(res, 'signature', 'Invalid JWT Signature.');
    const now = Math.floor(Date.now() / 1000);
    if (claims.iss !== options.clientEmail) return refuse(res, 'iss', 'Invalid issuer.');
    if (claims.aud !== tokenUri) return refuse(res, 'aud', 'Invalid audience.');
    if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(CLOUD_PLATFORM_SCOPE)) return refuse(res, 'scope', 'Invalid scope.');
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!(iat <= now + 60 && exp > now && exp - iat <= 3600)) return refuse(res, 'time', 'Invalid JWT: Token must be a short-lived token (60 minutes).');
    const issuedToken = `ya29.fake-vertex-token-${++issued}`;
    liveTokens.add(issuedToken);
    tokenRequests.push({ claims, header, issuedToken });
    sendJson(res, 200, { access_token: issuedToken, expires_in: options.tokenLifetimeSeconds ?? 3599, token_type: 'Bearer' });
  }

  function answerModel(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const path = req.url ?? '';
    const match = MODEL_ROUTE.exec(path.split('?')[0]);
    if (req.method !== 'POST' || !match) return googleError(res, 404, 'Not found', 'NOT_FOUND');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      return googleError(res, 400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT');
    }
    const [, project, region, publisher, model, action] = match;
    requests.push({ path, headers: req.headers, body, publisher: publisher as 'google' | 'anthropic', region, model: decodeURIComponent(model), action });
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !liveTokens.has(token)) {
      return googleError(res, 401, 'Request had invalid authentication credentials. Expected OAuth 2 access token.', 'UNAUTHENTICATED');
    }
    if (project !== options.projectId) return googleError(res, 403, `Permission denied on project ${project}`, 'PERMISSION_DENIED');
    const plan = behaviour;
    if ((plan.status ?? 200) >= 400) return googleError(res, plan.status!, plan.errorMessage ?? 'fake vertex error', 'INTERNAL');
    if (publisher === 'google') return answerGemini(action, path, model, plan, res);
    return answerClaude(action, body, plan, res);
  }

  function answerGemini(action: string, path: string, model: string, plan: FakeVertexBehaviour, res: ServerResponse): void {
    const reply = plan.reply ?? 'Hello from fake Vertex Gemini';
    const promptTokenCount = plan.promptTokens ?? 9;
    const candidatesTokenCount = plan.completionTokens ?? 4;
    const usage = (candidates: number) => ({ promptTokenCount, candidatesTokenCount: candidates, totalTokenCount: promptTokenCount + candidates });
    if (action === 'generateContent') {
      return sendJson(res, 200, {
        candidates: [{ content: { role: 'model', parts: [{ text: reply }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: usage(candidatesTokenCount),
        modelVersion: model,
      });
    }
    if (action !== 'streamGenerateContent' || !path.includes('alt=sse')) return googleError(res, 400, `Unsupported action ${action}`, 'INVALID_ARGUMENT');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const half = Math.ceil(reply.length / 2);
    const pieces = [reply.slice(0, half), reply.slice(half)];
    pieces.forEach((text, i) => {
      const last = i === pieces.length - 1;
      const chunk = {
        candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
        usageMetadata: usage(last ? candidatesTokenCount : 1),
        modelVersion: model,
      };
      res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    });
    res.end();
  }

  function answerClaude(action: string, body: Record<string, unknown>, plan: FakeVertexBehaviour, res: ServerResponse): void {
    // Claude on Vertex: the version in the body, the model only in the URL.
    if (body.anthropic_version !== 'vertex-2023-10-16' || 'model' in body) {
      return sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic_version must be vertex-2023-10-16 and model must not be set' } });
    }
    const reply = plan.reply ?? 'Hello from fake Vertex Claude';
    const usage = { input_tokens: plan.promptTokens ?? 11, output_tokens: plan.completionTokens ?? 5 };
    if (action === 'rawPredict') {
      return sendJson(res, 200, {
        id: 'msg_vrtx_1',
        type: 'message',
        role: 'assistant',
        model: 'claude',
        content: [{ type: 'text', text: reply }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage,
      });
    }
    if (action !== 'streamRawPredict' || body.stream !== true) {
      return sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'streamRawPredict needs stream: true' } });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = (name: string, data: Record<string, unknown>) => res.write(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`);
    event('message_start', { message: { id: 'msg_vrtx_1', type: 'message', role: 'assistant', content: [], usage: { ...usage, output_tokens: 1 } } });
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    const half = Math.ceil(reply.length / 2);
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: reply.slice(0, half) } });
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: reply.slice(half) } });
    event('content_block_stop', { index: 0 });
    event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
    event('message_stop', {});
    res.end();
  }

  const url = server.url;
  tokenUri = `${url}/token`;
  return {
    url,
    tokenUri,
    requests,
    tokenRequests,
    refusedTokenRequests,
    behave: (next) => {
      behaviour = next;
    },
    close: () => server.close(),
  };
}
