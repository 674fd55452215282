/**
 * A fake Coze upstream: a real HTTP server speaking the v3 chat API. `POST /v3/chat` streams named
 * SSE events (conversation.chat.created … conversation.message.delta … conversation.chat.completed,
 * done) or, without `stream`, answers the chat object still `in_progress`, to be polled through
 * `GET /v3/chat/retrieve` and read through `GET /v3/chat/message/list`. Failures come as Coze sends
 * them: HTTP 200 with `{code, msg}`. Records every request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, startFakeHttpServer } from './fake-http-server';

export interface RecordedCozeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeCozeBehaviour {
  reply?: string;
  reasoning?: string;
  inputCount?: number;
  outputCount?: number;
  /** Answer `{code, msg}` (with HTTP 200, as Coze does) instead of a chat. */
  failure?: { code: number; msg: string };
  /** Stream: end with conversation.chat.failed carrying this error. */
  chatFailed?: { code: number; msg: string };
}

export interface FakeCoze {
  url: string;
  requests: RecordedCozeRequest[];
  behave(behaviour: FakeCozeBehaviour): void;
  close(): Promise<void>;
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

export async function startFakeCoze(initial: FakeCozeBehaviour = {}): Promise<FakeCoze> {
  let behaviour = initial;
  const requests: RecordedCozeRequest[] = [];
  let sequence = 0;
  const server = await startFakeHttpServer((req, rawBody, res) => {
    const body = parseJsonObject(rawBody);
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    answer(req, body, behaviour, res);
  });

  function answer(req: IncomingMessage, body: Record<string, unknown>, plan: FakeCozeBehaviour, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) return sendJson(res, 401, { code: 4100, msg: 'authentication is invalid' });
    if (plan.failure) return sendJson(res, 200, plan.failure);
    const reply = plan.reply ?? 'Hello from fake Coze';
    const usage = { token_count: (plan.inputCount ?? 50) + (plan.outputCount ?? 12), input_count: plan.inputCount ?? 50, output_count: plan.outputCount ?? 12 };
    const chatIds = (id: string, conversationId: string) => ({ id, conversation_id: conversationId, bot_id: 'fake-bot' });
    if (req.method === 'GET' && url.pathname === '/v3/chat/retrieve') {
      const ids = chatIds(url.searchParams.get('chat_id') ?? '', url.searchParams.get('conversation_id') ?? '');
      return sendJson(res, 200, { code: 0, msg: '', data: { ...ids, status: 'completed', usage } });
    }
    if (req.method === 'GET' && url.pathname === '/v3/chat/message/list') {
      const chatId = url.searchParams.get('chat_id') ?? '';
      const base = { conversation_id: url.searchParams.get('conversation_id') ?? '', bot_id: 'fake-bot', chat_id: chatId, role: 'assistant', content_type: 'text', created_at: 1718792951 };
      return sendJson(res, 200, {
        code: 0,
        msg: '',
        data: [
          { ...base, id: `${chatId}-answer`, type: 'answer', content: reply, reasoning_content: plan.reasoning ?? '' },
          { ...base, id: `${chatId}-follow`, type: 'follow_up', content: 'Anything else?' },
        ],
      });
    }
    if (req.method !== 'POST' || (url.pathname !== '/v3/chat' && url.pathname !== '/v1/workflows/chat')) return sendJson(res, 404, { code: 4004, msg: 'not found' });
    if (url.pathname === '/v1/workflows/chat') {
      // A chatflow run names its workflow instead of a bot; its event stream is the bot chat's.
      if (typeof body.workflow_id !== 'string' || body.workflow_id === '') return sendJson(res, 200, { code: 4000, msg: 'workflow_id is required' });
    } else if (typeof body.bot_id !== 'string' || body.bot_id === '' || typeof body.user_id !== 'string') {
      return sendJson(res, 200, { code: 4000, msg: 'bot_id and user_id are required' });
    }
    sequence += 1;
    const ids = chatIds(`chat-${sequence}`, `conv-${sequence}`);
    if (body.stream !== true) return sendJson(res, 200, { code: 0, msg: '', data: { ...ids, status: 'in_progress' } });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const event = (name: string, data: unknown) => res.write(`event:${name}\ndata:${JSON.stringify(data)}\n\n`);
    event('conversation.chat.created', { ...ids, status: 'created' });
    event('conversation.chat.in_progress', { ...ids, status: 'in_progress' });
    if (plan.chatFailed) {
      event('conversation.chat.failed', { ...ids, status: 'failed', last_error: plan.chatFailed });
      event('done', '[DONE]');
      res.end();
      return;
    }
    const message = { id: `${ids.id}-answer`, conversation_id: ids.conversation_id, bot_id: ids.bot_id, chat_id: ids.id, role: 'assistant', type: 'answer', content_type: 'text' };
    if (plan.reasoning) event('conversation.message.delta', { ...message, content: '', reasoning_content: plan.reasoning });
    for (const word of reply.match(/\S+\s*/g) ?? []) event('conversation.message.delta', { ...message, content: word });
    event('conversation.message.completed', { ...message, content: reply });
    event('conversation.message.completed', { ...message, id: `${ids.id}-follow`, type: 'follow_up', content: 'Anything else?' });
    event('conversation.chat.completed', { ...ids, status: 'completed', usage });
    event('done', '[DONE]');
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
