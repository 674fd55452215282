/**
 * A fake AWS Bedrock runtime: a real HTTP server speaking InvokeModel and
 * InvokeModelWithResponseStream for Claude models. Every request must carry a SigV4 signature
 * that this fake re-computes with @smithy/signature-v4 from the test's access key; streams are
 * real AWS event-stream frames (@smithy/core's codec), each `chunk` carrying one base64-wrapped
 * Claude stream event, written in pieces that cut frames in two.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { SignatureV4 } from '@smithy/signature-v4';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeHttpServer } from './fake-http-server';

export interface FakeBedrockOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface FakeBedrockBehaviour {
  status?: number;
  errorMessage?: string;
  reply?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Ends the stream after message_start with this exception message instead of content. */
  streamException?: { type: string; message: string };
}

export interface RecordedBedrockRequest {
  path: string;
  /** The model id as sent (URL-decoded). */
  modelId: string;
  operation: 'invoke' | 'invoke-with-response-stream';
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** The headers the signature covers, from its SignedHeaders list. */
  signedHeaders: string[];
}

export interface FakeBedrock {
  url: string;
  requests: RecordedBedrockRequest[];
  /** Requests refused for their signature, with the reason. */
  refused: string[];
  behave(behaviour: FakeBedrockBehaviour): void;
  close(): Promise<void>;
}

const ROUTE = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/;
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

function sendJson(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}

/** `20250101T120000Z` → Date. */
function parseAmzDate(value: string): Date | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6])) : null;
}

export async function startFakeBedrock(options: FakeBedrockOptions, initial: FakeBedrockBehaviour = {}): Promise<FakeBedrock> {
  let behaviour = initial;
  const requests: RecordedBedrockRequest[] = [];
  const refused: string[] = [];
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const signer = new SignatureV4({
    service: 'bedrock',
    region: options.region,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    sha256: Sha256,
  });

  const server = await startFakeHttpServer((req, raw, res) => {
    answer(req, raw, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { message: 'fake bedrock failed' });
      else res.end();
    });
  });

  /** Why the signature is not AWS's, or null when it is. */
  async function signatureProblem(req: IncomingMessage, body: string): Promise<string | null> {
    const match = AUTHORIZATION.exec(req.headers.authorization ?? '');
    if (!match) return 'missing or malformed SigV4 Authorization header';
    const [, accessKeyId, day, region, service, signedList] = match;
    if (accessKeyId !== options.accessKeyId) return 'unknown access key';
    if (region !== options.region || service !== 'bedrock') return `credential scope ${region}/${service}`;
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const signingDate = parseAmzDate(amzDate);
    if (!signingDate || !amzDate.startsWith(day)) return 'x-amz-date missing or outside the credential scope';
    const payloadHash = createHash('sha256').update(body).digest('hex');
    if (req.headers['x-amz-content-sha256'] && req.headers['x-amz-content-sha256'] !== payloadHash) return 'payload hash mismatch';
    const signedHeaders = signedList.split(';');
    if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) return 'host and x-amz-date must be signed';
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) {
      const value = req.headers[name];
      if (value === undefined) return `signed header ${name} was not sent`;
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const url = new URL(req.url ?? '/', `http://${headers.host}`);
    const expected = await signer.sign(
      {
        method: req.method ?? 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body,
      },
      { signingDate },
    );
    return expected.headers.authorization === req.headers.authorization ? null : 'signature mismatch';
  }

  async function answer(req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const path = req.url ?? '';
    const route = ROUTE.exec(path.split('?')[0]);
    if (req.method !== 'POST' || !route) return sendJson(res, 404, { message: 'Not Found' }, 'UnknownOperationException');
    const problem = await signatureProblem(req, raw);
    if (problem) {
      refused.push(problem);
      return sendJson(res, 403, { message: `The request signature we calculated does not match the signature you provided (${problem}).` }, 'InvalidSignatureException');
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, { message: 'Malformed input request' }, 'ValidationException');
    }
    const operation = route[2] as RecordedBedrockRequest['operation'];
    const signedHeaders = AUTHORIZATION.exec(req.headers.authorization ?? '')![5].split(';');
    requests.push({ path, modelId: decodeURIComponent(route[1]), operation, headers: req.headers, body, signedHeaders });
    // Claude on Bedrock: the version in the body, the model in the URL, streaming by operation.
    if (body.anthropic_version !== 'bedrock-2023-05-31' || 'model' in body || 'stream' in body) {
      return sendJson(res, 400, { message: 'Malformed input request: extraneous key [model] is not permitted' }, 'ValidationException');
    }
    const plan = behaviour;
    if ((plan.status ?? 200) >= 400) return sendJson(res, plan.status!, { message: plan.errorMessage ?? 'fake bedrock error' }, 'ThrottlingException');
    const reply = plan.reply ?? 'Hello from fake Bedrock Claude';
    const usage = { input_tokens: plan.inputTokens ?? 12, output_tokens: plan.outputTokens ?? 6 };
    if (operation === 'invoke') {
      return sendJson(res, 200, {
        id: 'msg_bdrk_1',
        type: 'message',
        role: 'assistant',
        model: 'claude',
        content: [{ type: 'text', text: reply }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage,
      });
    }
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-bedrock-content-type': 'application/json' });
    const frames: Uint8Array[] = [];
    const chunk = (type: string, data: Record<string, unknown>) => {
      const bytes = Buffer.from(JSON.stringify({ type, ...data })).toString('base64');
      frames.push(
        codec.encode({
          headers: {
            ':event-type': { type: 'string', value: 'chunk' },
            ':content-type': { type: 'string', value: 'application/json' },
            ':message-type': { type: 'string', value: 'event' },
          },
          body: fromUtf8(JSON.stringify({ bytes, p: 'abcdefghij' })),
        }),
      );
    };
    chunk('message_start', { message: { id: 'msg_bdrk_1', type: 'message', role: 'assistant', content: [], usage: { ...usage, output_tokens: 1 } } });
    if (plan.streamException) {
      frames.push(
        codec.encode({
          headers: {
            ':exception-type': { type: 'string', value: plan.streamException.type },
            ':content-type': { type: 'string', value: 'application/json' },
            ':message-type': { type: 'string', value: 'exception' },
          },
          body: fromUtf8(JSON.stringify({ message: plan.streamException.message })),
        }),
      );
    } else {
      chunk('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      const half = Math.ceil(reply.length / 2);
      chunk('content_block_delta', { index: 0, delta: { type: 'text_delta', text: reply.slice(0, half) } });
      chunk('content_block_delta', { index: 0, delta: { type: 'text_delta', text: reply.slice(half) } });
      chunk('content_block_stop', { index: 0 });
      chunk('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
      chunk('message_stop', {
        'amazon-bedrock-invocationMetrics': { inputTokenCount: usage.input_tokens, outputTokenCount: usage.output_tokens, invocationLatency: 10, firstByteLatency: 5 },
      });
    }
    // Cut every frame in two writes, so the reader must reassemble frames across chunks.
    for (const frame of frames) {
      const cut = Math.floor(frame.length / 2);
      res.write(frame.subarray(0, cut));
      await new Promise((resolve) => setImmediate(resolve));
      res.write(frame.subarray(cut));
    }
    res.end();
  }

  return {
    url: server.url,
    requests,
    refused,
    behave: (next) => {
      behaviour = next;
    },
    close: () => server.close(),
  };
}
