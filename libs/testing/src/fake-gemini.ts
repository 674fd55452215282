/**
 * A fake Gemini upstream: a real HTTP server speaking `models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse` (protocols.md §3): data-only SSE, no [DONE], running usage.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, startFakeHttpServer } from './fake-http-server';

export interface RecordedGeminiRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeGeminiBehaviour {
  status?: number;
  errorMessage?: string;
  reply?: string;
  thought?: string;
  functionCall?: { name: string; args: Record<string, unknown> };
  promptTokens?: number;
  candidatesTokens?: number;
  thoughtsTokens?: number;
  cachedTokens?: number;
}

export interface FakeGemini {
  url: string;
  requests: RecordedGeminiRequest[];
  behave(behaviour: FakeGeminiBehaviour): void;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = { 400: 'INVALID_ARGUMENT', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

export async function startFakeGemini(initial: FakeGeminiBehaviour = {}): Promise<FakeGemini> {
  let behaviour = initial;
  const requests: RecordedGeminiRequest[] = [];
  const server = await startFakeHttpServer((req, rawBody, res) => {
    const body = parseJsonObject(rawBody);
    requests.push({ path: req.url ?? '', headers: req.headers, body });
    answer(req, behaviour, res);
  });

  function answer(req: IncomingMessage, plan: FakeGeminiBehaviour, res: ServerResponse): void {
    const match = /^\/(v1beta|v1|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec((req.url ?? '').split('?')[0]);
    if (!match) return sendJson(res, 404, { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } });
    if (!req.headers['x-goog-api-key']) return sendJson(res, 403, { error: { code: 403, message: 'Missing key', status: 'PERMISSION_DENIED' } });
    const status = plan.status ?? 200;
    if (status >= 400) {
      return sendJson(res, status, { error: { code: status, message: plan.errorMessage ?? 'fake gemini error', status: STATUS_NAMES[status] ?? 'UNKNOWN' } });
    }
    const model = match[2];
    const reply = plan.reply ?? 'Hello from fake Gemini';
    const promptTokenCount = plan.promptTokens ?? 8;
    const candidatesTokenCount = plan.candidatesTokens ?? 5;
    const thoughtsTokenCount = plan.thoughtsTokens ?? 0;
    const usageMetadata = (candidates: number) => ({
      promptTokenCount,
      candidatesTokenCount: candidates,
      totalTokenCount: promptTokenCount + candidates + thoughtsTokenCount,
      ...(thoughtsTokenCount ? { thoughtsTokenCount } : {}),
      ...(plan.cachedTokens ? { cachedContentTokenCount: plan.cachedTokens } : {}),
    });
    const parts: Record<string, unknown>[] = [];
    if (plan.thought) parts.push({ text: plan.thought, thought: true });
    if (reply) parts.push({ text: reply });
    if (plan.functionCall) parts.push({ functionCall: plan.functionCall });
    if (match[3] === 'generateContent') {
      return sendJson(res, 200, {
        candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
        usageMetadata: usageMetadata(candidatesTokenCount),
        modelVersion: model,
        responseId: 'resp_fake',
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\r\n\r\n`);
    // One chunk per part, text split in two; usage running, final chunk carries finishReason.
    const pieces: Record<string, unknown>[] = [];
    for (const part of parts) {
      if (typeof part.text === 'string' && !part.thought && part.text.length > 1) {
        const half = Math.ceil(part.text.length / 2);
        pieces.push({ text: part.text.slice(0, half) }, { text: part.text.slice(half) });
      } else pieces.push(part);
    }
    pieces.forEach((part, i) => {
      const last = i === pieces.length - 1;
      chunk({
        candidates: [{ content: { role: 'model', parts: [part] }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
        usageMetadata: usageMetadata(last ? candidatesTokenCount : i + 1),
        modelVersion: model,
      });
    });
    res.end();
  }

  return {
    url: server.url,
    requests,
    behave: (next) => {
      behaviour = next;
    },
    close: () => server.close(),
  };
}
