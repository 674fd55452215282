/**
 * A fake Anthropic upstream: a real HTTP server speaking POST /v1/messages (protocols.md §2),
 * stream and not, with named SSE events in the documented order. Records every request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, startFakeHttpServer } from './fake-http-server';

export interface RecordedClaudeRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeClaudeBehaviour {
  status?: number;
  errorType?: string;
  errorMessage?: string;
  reply?: string;
  thinking?: string;
  toolUse?: { name: string; input: Record<string, unknown> };
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheCreationTokens?: number;
  /** Ends the stream right after message_start with an overloaded `error` event. */
  streamError?: boolean;
}

export interface FakeClaude {
  url: string;
  requests: RecordedClaudeRequest[];
  behave(behaviour: FakeClaudeBehaviour): void;
  close(): Promise<void>;
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

export async function startFakeClaude(initial: FakeClaudeBehaviour = {}): Promise<FakeClaude> {
  let behaviour = initial;
  const requests: RecordedClaudeRequest[] = [];
  const server = await startFakeHttpServer((req, rawBody, res) => {
    const body = parseJsonObject(rawBody);
    requests.push({ path: req.url ?? '', headers: req.headers, body });
    answer(req, body, behaviour, res);
  });

  function answer(req: IncomingMessage, body: Record<string, unknown>, plan: FakeClaudeBehaviour, res: ServerResponse): void {
    if ((req.url ?? '').split('?')[0] !== '/v1/messages') {
      return sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
    }
    if (!req.headers['x-api-key'] || req.headers['anthropic-version'] !== '2023-06-01') {
      return sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    }
    if ((plan.status ?? 200) >= 400) {
      return sendJson(res, plan.status ?? 500, { type: 'error', error: { type: plan.errorType ?? 'api_error', message: plan.errorMessage ?? 'fake claude error' } });
    }
    const model = typeof body.model === 'string' ? body.model : 'claude-unknown';
    const reply = plan.reply ?? 'Hello from fake Claude';
    const usage = {
      input_tokens: plan.inputTokens ?? 12,
      output_tokens: plan.outputTokens ?? 6,
      cache_read_input_tokens: plan.cacheReadTokens ?? 0,
      cache_creation_input_tokens: plan.cacheCreationTokens ?? 0,
    };
    const blocks: Record<string, unknown>[] = [];
    if (plan.thinking) blocks.push({ type: 'thinking', thinking: plan.thinking, signature: 'sig_fake' });
    if (reply) blocks.push({ type: 'text', text: reply });
    if (plan.toolUse) blocks.push({ type: 'tool_use', id: 'toolu_fake1', name: plan.toolUse.name, input: plan.toolUse.input });
    const stopReason = plan.toolUse ? 'tool_use' : 'end_turn';
    if (body.stream !== true) {
      return sendJson(res, 200, { id: 'msg_fake1', type: 'message', role: 'assistant', model, content: blocks, stop_reason: stopReason, stop_sequence: null, usage });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const event = (name: string, data: Record<string, unknown>) => res.write(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`);
    event('message_start', {
      message: { id: 'msg_fake1', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
    });
    if (plan.streamError) {
      event('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
      res.end();
      return;
    }
    event('ping', {});
    blocks.forEach((block, index) => {
      if (block.type === 'thinking') {
        event('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
        event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: block.thinking } });
        event('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'sig_fake' } });
      } else if (block.type === 'text') {
        event('content_block_start', { index, content_block: { type: 'text', text: '' } });
        const text = block.text as string;
        const half = Math.ceil(text.length / 2);
        event('content_block_delta', { index, delta: { type: 'text_delta', text: text.slice(0, half) } });
        event('content_block_delta', { index, delta: { type: 'text_delta', text: text.slice(half) } });
      } else {
        event('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
        const json = JSON.stringify(block.input);
        event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(0, 3) } });
        event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(3) } });
      }
      event('content_block_stop', { index });
    });
    event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
    event('message_stop', {});
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
