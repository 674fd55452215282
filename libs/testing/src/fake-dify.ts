/**
 * A fake Dify upstream: a real HTTP server speaking a chat app's `POST /v1/chat-messages`,
 * blocking (one JSON reply) and streaming (data-only SSE whose JSON names the event; a chatflow's
 * workflow and node events around the answer; `event: ping` keep-alives). Records every request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, startFakeHttpServer } from './fake-http-server';

export interface RecordedDifyRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeDifyBehaviour {
  /** >= 400 answers with Dify's error body `{code, message, status}`. */
  status?: number;
  errorCode?: string;
  errorMessage?: string;
  reply?: string;
  promptTokens?: number;
  completionTokens?: number;
  /** Stream a chatflow run: workflow_started, node_started/finished and workflow_finished events. */
  workflow?: boolean;
  /** Stream: send part of the answer, then an `error` event instead of message_end. */
  streamError?: boolean;
}

export interface FakeDify {
  url: string;
  requests: RecordedDifyRequest[];
  behave(behaviour: FakeDifyBehaviour): void;
  close(): Promise<void>;
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

export async function startFakeDify(initial: FakeDifyBehaviour = {}): Promise<FakeDify> {
  let behaviour = initial;
  const requests: RecordedDifyRequest[] = [];
  let sequence = 0;
  const server = await startFakeHttpServer((req, rawBody, res) => {
    const body = parseJsonObject(rawBody);
    requests.push({ path: req.url ?? '', headers: req.headers, body });
    answer(req, body, behaviour, res);
  });

  function answer(req: IncomingMessage, body: Record<string, unknown>, plan: FakeDifyBehaviour, res: ServerResponse): void {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/chat-messages') {
      return sendJson(res, 404, { code: 'not_found', message: 'The requested URL was not found on the server.', status: 404 });
    }
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      return sendJson(res, 401, { code: 'unauthorized', message: 'Access token is invalid', status: 401 });
    }
    if ((plan.status ?? 200) >= 400) {
      return sendJson(res, plan.status ?? 500, { code: plan.errorCode ?? 'internal_server_error', message: plan.errorMessage ?? 'fake dify error', status: plan.status ?? 500 });
    }
    if (typeof body.query !== 'string' || typeof body.user !== 'string' || typeof body.inputs !== 'object') {
      return sendJson(res, 400, { code: 'invalid_param', message: 'query, user and inputs are required', status: 400 });
    }
    sequence += 1;
    const ids = { task_id: `task-${sequence}`, message_id: `msg-${sequence}`, conversation_id: `conv-${sequence}`, created_at: 1735689600 };
    const reply = plan.reply ?? 'Hello from fake Dify';
    const usage = { prompt_tokens: plan.promptTokens ?? 30, completion_tokens: plan.completionTokens ?? 10, currency: 'USD', total_price: '0.0001', latency: 0.5 };
    const metadata = { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens }, retriever_resources: [] };
    if (body.response_mode !== 'streaming') {
      return sendJson(res, 200, { event: 'message', id: ids.message_id, mode: plan.workflow ? 'advanced-chat' : 'chat', answer: reply, metadata, ...ids });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    const event = (name: string, data: Record<string, unknown>) => res.write(`data: ${JSON.stringify({ event: name, ...ids, ...data })}\n\n`);
    const run = { workflow_run_id: `run-${sequence}` };
    res.write('event: ping\n\n');
    if (plan.workflow) {
      event('workflow_started', { ...run, data: { id: run.workflow_run_id, workflow_id: 'wf-fake', sequence_number: sequence } });
      event('node_started', { ...run, data: { id: 'exec-llm', node_id: 'llm', node_type: 'llm', title: 'LLM', index: 1 } });
    }
    const words = reply.match(/\S+\s*/g) ?? [];
    for (const [index, word] of words.entries()) {
      if (plan.streamError && index === 1) {
        event('error', { status: 400, code: 'provider_quota_exceeded', message: 'Your quota for this provider has been exhausted.' });
        res.end();
        return;
      }
      event('message', { id: ids.message_id, answer: word });
    }
    if (plan.workflow) {
      event('node_finished', { ...run, data: { id: 'exec-llm', node_id: 'llm', node_type: 'llm', title: 'LLM', index: 1, status: 'succeeded' } });
      event('workflow_finished', { ...run, data: { id: run.workflow_run_id, workflow_id: 'wf-fake', status: 'succeeded', total_tokens: metadata.usage.total_tokens } });
    }
    event('message_end', { id: ids.message_id, metadata });
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
