/**
 * A fake Suno-API upstream: `POST /suno/submit/{MUSIC|LYRICS}` answering `{code:"success", data:<task id>}`,
 * and `POST /suno/fetch {ids}` answering the tasks. Checks `Authorization: Bearer <secret>`;
 * records every request. Tests move tasks with `setTask`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { parseJsonObject, startFakeHttpServer } from './fake-http-server';

export interface RecordedSunoRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeSunoBehaviour {
  /** Refuse submits with this HTTP status and Suno's error envelope. */
  submitStatus?: number;
}

export interface FakeSuno {
  url: string;
  requests: RecordedSunoRequest[];
  tasks: Map<string, Record<string, unknown>>;
  behave(behaviour: FakeSunoBehaviour): void;
  setTask(id: string, patch: Record<string, unknown>): void;
  close(): Promise<void>;
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

/** `secret`: the key it accepts, or several (a multi-key channel's). */
export async function startFakeSuno(secret: string | string[] = 'suno-upstream-secret'): Promise<FakeSuno> {
  const secrets = new Set(Array.isArray(secret) ? secret : [secret]);
  let behaviour: FakeSunoBehaviour = {};
  const requests: RecordedSunoRequest[] = [];
  const tasks = new Map<string, Record<string, unknown>>();
  const server = await startFakeHttpServer((req, rawBody, res) => {
    const body = parseJsonObject(rawBody);
    const path = (req.url ?? '').split('?')[0];
    requests.push({ path, headers: req.headers, body });
    if (!secrets.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
      return sendJson(res, 401, { code: 'invalid_request', message: 'unauthorized secret token', data: null });
    }
    const submit = /^\/suno\/submit\/([^/]+)$/.exec(path);
    if (req.method === 'POST' && submit) {
      const action = submit[1].toUpperCase();
      if (action !== 'MUSIC' && action !== 'LYRICS') return sendJson(res, 400, { code: 'invalid_request', message: 'invalid action', data: null });
      if (behaviour.submitStatus) return sendJson(res, behaviour.submitStatus, { code: 'internal_error', message: 'fake suno refused', data: null });
      const id = randomUUID();
      const now = Math.floor(Date.now() / 1000);
      tasks.set(id, { task_id: id, action, status: 'SUBMITTED', fail_reason: '', submit_time: now, start_time: 0, finish_time: 0, data: null });
      return sendJson(res, 200, { code: 'success', message: '', data: id });
    }
    if (req.method === 'POST' && path === '/suno/fetch') {
      const ids = Array.isArray(body.ids) ? body.ids : [];
      return sendJson(res, 200, { code: 'success', message: '', data: ids.map((id) => tasks.get(String(id))).filter(Boolean) });
    }
    sendJson(res, 404, { code: 'invalid_request', message: 'not found', data: null });
  });
  return {
    url: server.url,
    requests,
    tasks,
    behave: (next) => (behaviour = next),
    setTask: (id, patch) => tasks.set(id, { ...(tasks.get(id) ?? { task_id: id }), ...patch }),
    close: () => server.close(),
  };
}
