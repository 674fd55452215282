/**
 * A fake OpenAI-compatible upstream: a real HTTP server speaking the wire format of
 * /v1/chat/completions, /v1/completions, /v1/embeddings and /v1/models (protocols.md §1), whose
 * behaviour each test scripts. It records every request so tests can assert what the gateway sent.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  rawBody: string;
  /** True when the gateway closed the connection before the fake finished answering. */
  aborted: boolean;
  /** Number of the TCP connection the request came on (1, 2, …): equal numbers mean a reused connection. */
  connection: number;
}

/** What the fake answers; a function of the request lets a test vary it per call. */
export interface FakeBehaviour {
  /** HTTP status; >= 400 answers with an OpenAI error body. */
  status?: number;
  errorMessage?: string;
  errorType?: string;
  errorCode?: string;
  /** Text of the reply (split into stream chunks of `chunkSize` characters). */
  reply?: string;
  /** Answer a tool call instead of text. */
  toolCall?: { name: string; arguments: string };
  /** Include usage (non-stream body; stream: only when the request asked include_usage). */
  usage?: boolean;
  promptTokens?: number;
  completionTokens?: number;
  cachedTokens?: number;
  chunkSize?: number;
  /** Delay before the response starts and between stream chunks, in ms. */
  delayMs?: number;
  chunkDelayMs?: number;
  /** Number of stream chunks to send (repeats the reply) — for long streams. */
  repeat?: number;
  /**
   * Stream only: after this many content chunks, go silent and keep the connection open until the
   * gateway gives up (a stalled upstream).
   */
  stallAfterChunks?: number;
  /** The legacy billing dashboard (balance checks): hard limit in USD, usage in cents (default 100 and 0). */
  billing?: { hardLimitUsd: number; hasPaymentMethod?: boolean; totalUsageCents: number };
  /** DeepSeek's GET /user/balance (default 0.00 CNY). */
  deepSeekBalance?: { currency: 'CNY' | 'USD'; totalBalance: string };
}

export interface FakeOpenAi {
  url: string;
  requests: RecordedRequest[];
  /** TCP connections accepted so far (keep-alive reuse keeps this below the request count). */
  readonly connections: number;
  /** Sets the behaviour for the following requests. */
  behave(behaviour: FakeBehaviour | ((request: RecordedRequest) => FakeBehaviour)): void;
  close(): Promise<void>;
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits `ms`, or less if the peer goes away first (so no timer outlives a test). */
function sleepWhileOpen(ms: number, res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/** The API key a request carried (`Authorization: Bearer <key>`), for behaviour that depends on the key. */
export function apiKeyOf(request: RecordedRequest): string {
  const header = request.headers.authorization ?? '';
  return header.replace(/^Bearer\s+/i, '');
}

function splitText(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts.length ? parts : [''];
}

/** Little-endian float32 bytes in base64, as OpenAI encodes `encoding_format: "base64"`. */
export function float32Base64(values: number[]): string {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buffer.writeFloatLE(v, i * 4));
  return buffer.toString('base64');
}

export async function startFakeOpenAi(initial: FakeBehaviour = {}): Promise<FakeOpenAi> {
  let behaviour: FakeBehaviour | ((request: RecordedRequest) => FakeBehaviour) = initial;
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const connectionIds = new WeakMap<object, number>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown>;
      try {
        body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
      } catch {
        body = {};
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        rawBody,
        aborted: false,
        connection: connectionIds.get(req.socket) ?? 0,
      };
      requests.push(recorded);
      res.on('close', () => {
        if (!res.writableFinished) recorded.aborted = true;
      });
      const plan = typeof behaviour === 'function' ? behaviour(recorded) : behaviour;
      void answer(recorded, plan, res).catch(() => res.destroy());
    });
  });

  async function answer(request: RecordedRequest, plan: FakeBehaviour, res: ServerResponse): Promise<void> {
    if (plan.delayMs) await sleepWhileOpen(plan.delayMs, res);
    if (res.destroyed) return;
    // Azure deployment URLs carry the same operations: /openai/deployments/{name}/chat/completions.
    const path = request.path.split('?')[0].replace(/^\/openai\/deployments\/[^/]+\//, '/v1/');
    if (request.method === 'GET' && path === '/v1/models') {
      return send(res, 200, { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' }] });
    }
    if ((plan.status ?? 200) >= 400) {
      return send(res, plan.status ?? 500, {
        error: { message: plan.errorMessage ?? 'fake upstream error', type: plan.errorType ?? 'server_error', param: null, code: plan.errorCode ?? null },
      });
    }
    if (request.method === 'GET' && answerBalance(path, plan, res)) return;
    const model = typeof request.body.model === 'string' ? request.body.model : 'unknown';
    const promptTokens = plan.promptTokens ?? 10;
    const reply = plan.reply ?? 'Hello from the fake upstream';
    const completionTokens = plan.completionTokens ?? Math.max(1, Math.ceil(reply.length / 4));
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: path === '/v1/embeddings' ? 0 : completionTokens,
      total_tokens: promptTokens + (path === '/v1/embeddings' ? 0 : completionTokens),
      prompt_tokens_details: { cached_tokens: plan.cachedTokens ?? 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    };
    const withUsage = plan.usage !== false;
    if (path === '/v1/embeddings') {
      const inputs = Array.isArray(request.body.input) ? request.body.input : [request.body.input];
      const vector = [0.25, -0.5, 0.125];
      const base64 = request.body.encoding_format === 'base64';
      return send(res, 200, {
        object: 'list',
        data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: base64 ? float32Base64(vector) : vector })),
        model,
        ...(withUsage ? { usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } } : {}),
      });
    }
    if (answerOtherEndpoint(path, request, plan, res, model, promptTokens, completionTokens, reply)) return;
    const isChat = path === '/v1/chat/completions';
    if (!isChat && path !== '/v1/completions') return send(res, 404, { error: { message: `no route ${path}`, type: 'invalid_request_error' } });
    const id = isChat ? 'chatcmpl-fake' : 'cmpl-fake';
    const created = Math.floor(Date.now() / 1000);
    if (request.body.stream !== true) {
      const choice = isChat
        ? {
            index: 0,
            message: plan.toolCall
              ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: plan.toolCall }] }
              : { role: 'assistant', content: reply, refusal: null },
            logprobs: null,
            finish_reason: plan.toolCall ? 'tool_calls' : 'stop',
          }
        : { index: 0, text: reply, logprobs: null, finish_reason: 'stop' };
      return send(res, 200, {
        id,
        object: isChat ? 'chat.completion' : 'text_completion',
        created,
        model,
        choices: [choice],
        ...(withUsage ? { usage } : {}),
      });
    }
    const streamOptions = request.body.stream_options as { include_usage?: boolean } | undefined;
    const includeUsage = withUsage && streamOptions?.include_usage === true;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const frame = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    const chunk = (delta: Record<string, unknown> | null, text: string | null, finish: string | null) =>
      frame({
        id,
        object: isChat ? 'chat.completion.chunk' : 'text_completion',
        created,
        model,
        choices: [isChat ? { index: 0, delta: delta ?? {}, logprobs: null, finish_reason: finish } : { index: 0, text: text ?? '', finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
        // A monotonic send time lets benchmarks measure each chunk's forwarding delay exactly.
        fake_sent_at_ns: process.hrtime.bigint().toString(),
      });
    if (isChat) chunk({ role: 'assistant', content: '' }, null, null);
    if (plan.toolCall) {
      chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: plan.toolCall.name, arguments: '' } }] }, null, null);
      chunk({ tool_calls: [{ index: 0, function: { arguments: plan.toolCall.arguments } }] }, null, null);
    } else {
      const parts = splitText(reply, plan.chunkSize ?? 8);
      let sent = 0;
      for (let round = 0; round < (plan.repeat ?? 1); round++) {
        for (const part of parts) {
          if (res.destroyed) return;
          if (plan.stallAfterChunks !== undefined && sent >= plan.stallAfterChunks) {
            // Silent until the gateway closes the connection.
            await new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));
            return;
          }
          if (plan.chunkDelayMs) await sleep(plan.chunkDelayMs);
          if (part) {
            chunk(isChat ? { content: part } : null, part, null);
            sent++;
          }
        }
      }
    }
    chunk({}, '', plan.toolCall ? 'tool_calls' : 'stop');
    if (includeUsage) frame({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    res.write('data: [DONE]\n\n');
    res.end();
  }

  server.on('connection', (socket) => connectionIds.set(socket, ++connections));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    behave: (next) => {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Balance routes: OpenAI's legacy billing dashboard and DeepSeek's /user/balance (protocols of §4.11). */
function answerBalance(path: string, plan: FakeBehaviour, res: ServerResponse): boolean {
  const billing = plan.billing ?? { hardLimitUsd: 100, totalUsageCents: 0 };
  switch (path) {
    case '/v1/dashboard/billing/subscription':
      send(res, 200, { object: 'billing_subscription', has_payment_method: billing.hasPaymentMethod ?? false, soft_limit_usd: billing.hardLimitUsd, hard_limit_usd: billing.hardLimitUsd, system_hard_limit_usd: billing.hardLimitUsd, access_until: 0 });
      return true;
    case '/v1/dashboard/billing/usage':
      send(res, 200, { object: 'list', daily_costs: [], total_usage: billing.totalUsageCents });
      return true;
    case '/user/balance': {
      const balance = plan.deepSeekBalance ?? { currency: 'CNY', totalBalance: '0.00' };
      send(res, 200, { is_available: true, balance_infos: [{ currency: balance.currency, total_balance: balance.totalBalance, granted_balance: '0.00', topped_up_balance: balance.totalBalance }] });
      return true;
    }
    default:
      return false;
  }
}

/** Multipart field value from a recorded raw body (enough for the fake's own routing). */
export function multipartField(rawBody: string, name: string): string | undefined {
  const match = new RegExp(`name="${name}"\r\n\r\n([^\r]*)\r\n`).exec(rawBody);
  return match?.[1];
}

/** The endpoints besides chat, completions and embeddings, in OpenAI's wire format (protocols.md §1.5–1.9, §4). */
function answerOtherEndpoint(
  path: string,
  request: RecordedRequest,
  plan: FakeBehaviour,
  res: ServerResponse,
  model: string,
  promptTokens: number,
  completionTokens: number,
  reply: string,
): boolean {
  const created = Math.floor(Date.now() / 1000);
  switch (path) {
    case '/v1/responses': {
      const usage = { input_tokens: promptTokens, input_tokens_details: { cached_tokens: plan.cachedTokens ?? 0 }, output_tokens: completionTokens, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: promptTokens + completionTokens };
      const message = { type: 'message', id: 'msg_fake', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: reply, annotations: [] }] };
      const response = { id: 'resp_fake', object: 'response', created_at: created, status: 'completed', model, output: [message], usage };
      if (request.body.stream !== true) {
        send(res, 200, response);
        return true;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let sequence = 0;
      const event = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`);
      event('response.created', { response: { ...response, status: 'in_progress', output: [], usage: null } });
      event('response.output_item.added', { output_index: 0, item: { ...message, status: 'in_progress', content: [] } });
      for (const piece of splitText(reply, plan.chunkSize ?? 5)) event('response.output_text.delta', { item_id: 'msg_fake', output_index: 0, content_index: 0, delta: piece });
      event('response.output_text.done', { item_id: 'msg_fake', output_index: 0, content_index: 0, text: reply });
      event('response.output_item.done', { output_index: 0, item: message });
      event('response.completed', { response });
      res.end();
      return true;
    }
    case '/v1/images/generations':
    case '/v1/images/edits': {
      const n = Number(request.body.n ?? multipartField(request.rawBody, 'n') ?? 1);
      send(res, 200, { created, data: Array.from({ length: n }, (_, i) => ({ url: `https://images.example/${i}.png`, revised_prompt: 'a cat' })) });
      return true;
    }
    case '/v1/audio/speech': {
      const audio = Buffer.alloc(64 * 1024, 7);
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': audio.length });
      res.end(audio);
      return true;
    }
    case '/v1/audio/transcriptions':
    case '/v1/audio/translations': {
      const format = multipartField(request.rawBody, 'response_format') ?? 'json';
      if (format === 'text') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(reply);
      } else if (format === 'verbose_json') send(res, 200, { task: 'transcribe', language: 'english', duration: 90.2, text: reply });
      else send(res, 200, { text: reply, usage: { type: 'tokens', input_tokens: promptTokens, output_tokens: completionTokens, total_tokens: promptTokens + completionTokens } });
      return true;
    }
    case '/v1/moderations':
      send(res, 200, { id: 'modr-fake', model, results: [{ flagged: false, categories: { violence: false }, category_scores: { violence: 0.01 } }] });
      return true;
    case '/v1/rerank': {
      const documents = Array.isArray(request.body.documents) ? request.body.documents : [];
      const results = documents.map((_, index) => ({ index, relevance_score: 1 / (index + 1) }));
      send(res, 200, { model, results, usage: { total_tokens: promptTokens } });
      return true;
    }
    default:
      return false;
  }
}
