/**
 * The web server's run-time proxy, end to end: a fake API on a random port,
 * the BUILT web app (`next start`, no build here) on another random port with
 * API_BASE_URL pointing at the fake, and real HTTP between them.
 *
 * Needs `npm run build -w @your-api/web` first (`npm test` does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const WEB_DIR = path.resolve(__dirname, '..');
const BUILD_ID = path.join(WEB_DIR, '.next', 'BUILD_ID');

const STATUS_BODY = JSON.stringify({
  success: true,
  message: '',
  data: {
    version: 'v0.0.0-fake',
    start_time: 1700000000,
    system_name: 'Fake Gateway',
    quota_per_unit: 500000,
    setup: true,
    display_in_currency: true,
  },
});

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The fake API: records what reached it and answers a few New API routes. */
function startFakeApi() {
  const seen: Seen[] = [];
  let releaseStream: (() => void) | null = null;
  const streamReleased = new Promise<void>((resolve) => {
    releaseStream = resolve;
  });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      seen.push({ method: req.method ?? '', url, headers: req.headers, body });
      const json = (status: number, payload: string, extra: http.OutgoingHttpHeaders = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...extra });
        res.end(payload);
      };

      if (url === '/api/status') {
        return json(200, STATUS_BODY, {
          'set-cookie': ['session=fake-session; Path=/; HttpOnly; SameSite=Strict', 'second=2; Path=/'],
        });
      }
      if (url === '/api/home_page_content') {
        return json(200, JSON.stringify({ success: true, message: '', data: '' }));
      }
      if (url === '/api/user/login' && req.method === 'POST') {
        const { username, password } = JSON.parse(body || '{}') as { username?: string; password?: string };
        if (username === 'root' && password === '123456') {
          return json(
            200,
            JSON.stringify({
              success: true,
              message: '',
              data: { id: 7, username: 'root', role: 100, display_name: 'Root', status: 1, group: 'default' },
            }),
            { 'set-cookie': 'session=logged-in; Path=/; HttpOnly' },
          );
        }
        return json(200, JSON.stringify({ success: false, message: 'bad credentials' }));
      }
      if (url === '/api/user/self') {
        const ok = req.headers.cookie?.includes('session=logged-in') && req.headers['new-api-user'] === '7';
        return ok
          ? json(200, JSON.stringify({ success: true, message: '', data: { id: 7, username: 'root', role: 100 } }))
          : json(401, JSON.stringify({ success: false, message: 'unauthorized' }));
      }
      if (url === '/v1/chat/completions') {
        // First event now; the rest only once the test has received it. A
        // buffering proxy would never deliver the first one: the test would hang.
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('data: {"chunk":1}\n\n');
        void streamReleased.then(() => {
          res.write('data: {"chunk":2}\n\n');
          res.end('data: [DONE]\n\n');
        });
        return;
      }
      // Anything else: echo what arrived.
      return json(200, JSON.stringify({ method: req.method, url, body, headers: req.headers }));
    });
  });

  return {
    seen,
    release: () => releaseStream?.(),
    listen: () =>
      new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = http.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`next start did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
}

describe('web: run-time proxy to API_BASE_URL (next start against a fake API)', () => {
  const fake = startFakeApi();
  let web: ChildProcess | undefined;
  let base = '';
  let logs = '';

  beforeAll(async () => {
    if (!existsSync(BUILD_ID)) {
      throw new Error(
        `The web app is not built (${BUILD_ID} is missing). Run \`npm run build:libs && npm run build -w @your-api/web\` first.`,
      );
    }
    const apiPort = await fake.listen();
    const webPort = await freePort();
    base = `http://127.0.0.1:${webPort}`;
    const nextBin = require.resolve('next/dist/bin/next', { paths: [WEB_DIR] });
    web = spawn(process.execPath, [nextBin, 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
      cwd: WEB_DIR,
      env: {
        ...process.env,
        API_BASE_URL: `http://127.0.0.1:${apiPort}`,
        NEXT_TELEMETRY_DISABLED: '1',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    web.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
    web.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
    await waitForHttp(`${base}/pricing`, web, () => logs, 20_000);
  }, 30_000);

  afterAll(async () => {
    fake.release();
    if (web && web.exitCode === null) {
      const exited = new Promise((r) => web?.once('exit', r));
      web.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
      clearTimeout(timer);
      if (web.exitCode === null) web.kill('SIGKILL');
    }
    await fake.close();
  });

  it('GET /api/status returns the API body unchanged, and every Set-Cookie comes back', async () => {
    const res = await fetch(`${base}/api/status`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.text()).toBe(STATUS_BODY);
    expect(res.headers.getSetCookie()).toEqual([
      'session=fake-session; Path=/; HttpOnly; SameSite=Strict',
      'second=2; Path=/',
    ]);
  });

  it('forwards method, path with trailing slash, query, headers, cookies and body', async () => {
    const res = await fetch(`${base}/api/option/?p=1&page_size=20`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        cookie: 'session=abc',
        'new-api-user': '1',
        'x-forwarded-for': '203.0.113.9',
      },
      body: JSON.stringify({ key: 'SystemName', value: 'X' }),
    });
    const echo = (await res.json()) as { method: string; url: string; body: string; headers: Record<string, string> };
    expect(echo.method).toBe('PUT');
    expect(echo.url).toBe('/api/option/?p=1&page_size=20');
    expect(JSON.parse(echo.body)).toEqual({ key: 'SystemName', value: 'X' });
    expect(echo.headers['cookie']).toBe('session=abc');
    expect(echo.headers['new-api-user']).toBe('1');
    expect(echo.headers['x-forwarded-host']).toBe(new URL(base).host);
    // A client-sent X-Forwarded-For is kept, with the real peer appended (as nginx does).
    expect(echo.headers['x-forwarded-for']).toMatch(/^203\.0\.113\.9, (::ffff:)?127\.0\.0\.1$/);
  });

  it('logs in through the proxy: cookie out, then cookie + New-Api-User in', async () => {
    const login = await fetch(`${base}/api/user/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'root', password: '123456' }),
    });
    const envelope = (await login.json()) as { success: boolean; data: { id: number } };
    expect(envelope.success).toBe(true);
    expect(envelope.data.id).toBe(7);
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0];
    expect(cookie).toBe('session=logged-in');

    const self = await fetch(`${base}/api/user/self`, { headers: { cookie: cookie!, 'New-Api-User': '7' } });
    expect(self.status).toBe(200);
    expect(((await self.json()) as { data: { username: string } }).data.username).toBe('root');
  });

  it('streams SSE from /v1 without buffering', async () => {
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [] }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"chunk":1')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    // The upstream is still holding the rest back: this chunk came through on its own.
    expect(text).toContain('data: {"chunk":1}');
    expect(text).not.toContain('[DONE]');
    fake.release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('data: {"chunk":2}');
    expect(text).toContain('data: [DONE]');
  });

  it('serves /login as HTML with the login form', async () => {
    const res = await fetch(`${base}/login`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toMatch(/<form[^>]*id="login-form"/);
    expect(html).toMatch(/<input[^>]*name="username"/);
    expect(html).toMatch(/<input[^>]*name="password"[^>]*type="password"|<input[^>]*type="password"[^>]*name="password"/);
    // The site name came from the fake API's /api/status, fetched server-side.
    expect(html).toContain('Fake Gateway');
  });
});
