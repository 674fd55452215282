/**
 * A fake Cohere upstream: a real HTTP server speaking the Chat API v2 (`POST /v2/chat`), stream
 * (named SSE events: message-start, content-*, tool-plan-delta, tool-call-*, message-end) and not.
 * Records every request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, startFakeHttpServer } from './fake-http-server';

export interface RecordedCohereRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeCohereBehaviour {
  /** >= 400 answers with Cohere's error body `{id, message}`. */
  status?: number;
  errorMessage?: string;
  reply?: string;
  /** Answer a tool call (with a tool plan) instead of text. */
  toolCall?: { name: string; arguments: string };
  /** Billed input/output tokens (`usage.billed_units`); `usage.tokens` adds a prompt template on top. */
  inputTokens?: number;
  outputTokens?: number;
  finishReason?: string;
}

export interface FakeCohere {
  url: string;
  requests: RecordedCohereRequest[];
  behave(behaviour: FakeCohereBehaviour): void;
  close(): Promise<void>;
}

/** Tokens Cohere's own prompt template adds to `usage.tokens` (not billed). */
const TEMPLATE_TOKENS = 60;

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

export async function startFakeCohere(initial: FakeCohereBehaviour = {}): Promise<FakeCohere> {
  let behaviour = initial;
  const requests: RecordedCohereRequest[] = [];
  const server = await startFakeHttpServer((req, rawBody, res) => {
    const body = parseJsonObject(rawBody);
    requests.push({ path: req.url ?? '', headers: req.headers, body });
    answer(req, body, behaviour, res);
  });

  function answer(req: IncomingMessage, body: Record<string, unknown>, plan: FakeCohereBehaviour, res: ServerResponse): void {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v2/chat') return sendJson(res, 404, { id: 'err-404', message: 'Not Found' });
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) return sendJson(res, 401, { id: 'err-401', message: 'no api key supplied' });
    if ((plan.status ?? 200) >= 400) return sendJson(res, plan.status ?? 500, { id: 'err-fake', message: plan.errorMessage ?? 'fake cohere error' });
    const reply = plan.reply ?? 'Hello from fake Cohere';
    const input = plan.inputTokens ?? 20;
    const output = plan.outputTokens ?? 8;
    const usage = { billed_units: { input_tokens: input, output_tokens: output }, tokens: { input_tokens: input + TEMPLATE_TOKENS, output_tokens: output } };
    const toolPlan = plan.toolCall ? `I will call ${plan.toolCall.name}.` : '';
    const finishReason = plan.finishReason ?? (plan.toolCall ? 'TOOL_CALL' : 'COMPLETE');
    const id = 'cohere-fake-1';
    if (body.stream !== true) {
      const message: Record<string, unknown> = { role: 'assistant' };
      if (plan.toolCall) {
        message.tool_plan = toolPlan;
        message.tool_calls = [{ id: 'tool_fake_1', type: 'function', function: plan.toolCall }];
      } else {
        message.content = [{ type: 'text', text: reply }];
      }
      return sendJson(res, 200, { id, finish_reason: finishReason, message, usage });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const event = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    event('message-start', { id, delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } });
    if (plan.toolCall) {
      event('tool-plan-delta', { delta: { message: { tool_plan: toolPlan } } });
      event('tool-call-start', { index: 0, delta: { message: { tool_calls: { id: 'tool_fake_1', type: 'function', function: { name: plan.toolCall.name, arguments: '' } } } } });
      const args = plan.toolCall.arguments;
      const half = Math.ceil(args.length / 2);
      event('tool-call-delta', { index: 0, delta: { message: { tool_calls: { function: { arguments: args.slice(0, half) } } } } });
      event('tool-call-delta', { index: 0, delta: { message: { tool_calls: { function: { arguments: args.slice(half) } } } } });
      event('tool-call-end', { index: 0 });
    } else {
      event('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } });
      for (const word of reply.match(/\S+\s*/g) ?? []) event('content-delta', { index: 0, delta: { message: { content: { text: word } } } });
      event('content-end', { index: 0 });
    }
    event('message-end', { delta: { finish_reason: finishReason, usage } });
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
