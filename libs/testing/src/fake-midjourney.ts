/**
 * A fake Midjourney-Proxy upstream: a real HTTP server speaking `POST /mj/submit/*`,
 * `/mj/insight-face/swap`, `POST /mj/task/list-by-condition` (also under a `/:mode` prefix) and
 * serving task images at `GET /image/<task id>.png`. Checks `mj-api-secret`; records every request.
 * Tests move tasks with `setTask` and choose submit codes with `behave`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import { parseJsonObject, startFakeHttpServer } from './fake-http-server';

export interface RecordedMidjourneyRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeMidjourneyBehaviour {
  /** Submit reply code (1 submitted, 21 exists, 22 queued, 24 banned prompt …). */
  submitCode?: number;
  description?: string;
  /** `properties` of the submit reply (e.g. `{status:"SUCCESS", imageUrl}` with code 21). */
  properties?: Record<string, unknown>;
  /** HTTP status of submits (>= 400: empty body). */
  submitStatus?: number;
  /** Milliseconds list-by-condition waits before answering (to overlap pollers). */
  listDelayMs?: number;
}

export interface FakeMidjourney {
  url: string;
  secret: string;
  requests: RecordedMidjourneyRequest[];
  /** Upstream tasks by id, as list-by-condition returns them. */
  tasks: Map<string, Record<string, unknown>>;
  behave(behaviour: FakeMidjourneyBehaviour): void;
  setTask(id: string, patch: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** A 64×64 RGB PNG with a colour gradient (visible in screenshots), encoded here so no fixture file is needed. */
export const FAKE_PNG = gradientPng(64);

function gradientPng(size: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    for (let x = 0; x < size; x++) rows.set([40 + x * 3, 90 + y * 2, 200 - x], row + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

export async function startFakeMidjourney(secret = 'mj-upstream-secret', initial: FakeMidjourneyBehaviour = {}): Promise<FakeMidjourney> {
  let behaviour = initial;
  const requests: RecordedMidjourneyRequest[] = [];
  const tasks = new Map<string, Record<string, unknown>>();
  let sequence = 0;
  let baseUrl = '';
  const server = await startFakeHttpServer((req, rawBody, res) => {
    const body = parseJsonObject(rawBody);
    const path = (req.url ?? '').split('?')[0];
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    const image = /^\/image\/([^/]+)\.png$/.exec(path);
    if (req.method === 'GET' && image) {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': FAKE_PNG.length });
      res.end(FAKE_PNG);
      return;
    }
    if (req.headers['mj-api-secret'] !== secret) {
      res.writeHead(401);
      res.end();
      return;
    }
    const route = path.slice(path.indexOf('/mj/') + 4);
    if (req.method === 'POST' && route === 'task/list-by-condition') {
      const ids = Array.isArray(body.ids) ? body.ids : [];
      const reply = ids.map((id) => tasks.get(String(id))).filter(Boolean);
      setTimeout(() => sendJson(res, 200, reply), behaviour.listDelayMs ?? 0);
      return;
    }
    if (req.method === 'POST' && (route.startsWith('submit/') || route === 'insight-face/swap')) {
      if ((behaviour.submitStatus ?? 200) >= 400) {
        res.writeHead(behaviour.submitStatus!);
        res.end();
        return;
      }
      const code = behaviour.submitCode ?? 1;
      const id = `${Date.now()}${String(++sequence).padStart(4, '0')}`;
      if (code === 1 || code === 22 || code === 21) {
        tasks.set(id, {
          id,
          action: String(body.action ?? route.split('/')[1] ?? '').toUpperCase(),
          prompt: body.prompt ?? '',
          promptEn: body.prompt ?? '',
          description: '',
          state: body.state ?? '',
          submitTime: Date.now(),
          startTime: 0,
          finishTime: 0,
          imageUrl: '',
          status: 'SUBMITTED',
          progress: '0%',
          failReason: '',
          buttons: [],
          properties: {},
        });
      }
      sendJson(res, 200, {
        code,
        description: behaviour.description ?? (code === 1 ? '提交成功' : code === 22 ? '排队中，前面还有1个任务' : 'failed'),
        result: code === 1 || code === 21 || code === 22 ? id : '',
        properties: behaviour.properties ?? { discordInstanceId: 'fake-instance' },
      });
      return;
    }
    sendJson(res, 404, { code: 4, description: 'not found' });
  });
  baseUrl = server.url;
  return {
    url: baseUrl,
    secret,
    requests,
    tasks,
    behave: (next) => (behaviour = next),
    setTask: (id, patch) => {
      const task = tasks.get(id) ?? { id };
      const next = { ...task, ...patch };
      if (patch.imageUrl === true) next.imageUrl = `${baseUrl}/image/${id}.png`;
      tasks.set(id, next);
    },
    close: () => server.close(),
  };
}
