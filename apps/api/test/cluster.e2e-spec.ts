import { request as httpRequest } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { FakeOpenAi, startFakeOpenAi } from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, waitFor } from './relay-fixtures';

interface Answer {
  status: number;
  body: string;
  setCookie: string[];
  requestId: string;
}

/**
 * One request on a connection of its own. node:cluster hands connections to the workers in turn,
 * so a run of these requests alternates between them; a kept-alive client would stay on one.
 */
function freshRequest(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { ...headers, connection: 'close' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), requestId: String(res.headers['x-oneapi-request-id']), setCookie: res.headers['set-cookie'] ?? [] }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Process ids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/** CLUSTER_WORKERS: several workers on one port behave as one gateway. */
describe('cluster mode', () => {
  let api: RunningApi;
  let fake: FakeOpenAi;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ reply: 'from the fake', promptTokens: 10, completionTokens: 5 });
    // No SESSION_SECRET: the primary must give every worker the same random one.
    api = await startApi({ env: { CLUSTER_WORKERS: '2', SESSION_SECRET: '' }, keepDatabase: true });
    // The other workers start once the first listens; the primary says when all of them do.
    await waitFor(async () => api.output(), (output) => output.includes('all 2 workers listening'), 30_000);
  });

  afterAll(async () => {
    await api?.stop();
    await api?.database.drop();
    await fake?.close();
  });

  it('runs the workers it was asked for, accepts a session on every worker and drops a disabled key everywhere', async () => {
    expect(childrenOf(api.pid)).toHaveLength(2);

    // A login on one worker is a session on all of them (one shared secret).
    const login = await freshRequest(`${api.baseUrl}/api/user/login`, 'POST', { 'content-type': 'application/json' }, JSON.stringify({ username: 'root', password: '123456' }));
    expect(login.status).toBe(200);
    const rootId = (JSON.parse(login.body) as { data: { id: number } }).data.id;
    const cookie = login.setCookie.map((c) => c.split(';')[0]).join('; ');
    const selves = await Promise.all(
      Array.from({ length: 6 }, () => freshRequest(`${api.baseUrl}/api/user/self`, 'GET', { cookie, 'New-Api-User': String(rootId) })),
    );
    expect(selves.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(selves.every((a) => (JSON.parse(a.body) as { success: boolean }).success)).toBe(true);

    const root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    await createChannel(root, { base_url: fake.url, models: 'gpt-4o' });
    const token = await createToken(root, { name: 'cluster key' });
    const chat = () =>
      freshRequest(
        `${api.baseUrl}/v1/chat/completions`,
        'POST',
        { 'content-type': 'application/json', authorization: `Bearer ${token.key}` },
        JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      );
    // Sequential, so round-robin alternates workers: every worker has now cached the key.
    const served: number[] = [];
    // Request ids end in a per-process counter that starts at a random point: ids of one worker
    // lie close together, those of two workers far apart.
    const counters: number[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await chat();
      served.push(answer.status);
      counters.push(parseInt(answer.requestId.slice(17), 16));
    }
    expect(served).toEqual(Array(8).fill(200));
    const sorted = [...counters].sort((a, b) => a - b);
    const workersSeen = 1 + sorted.slice(1).filter((value, i) => value - sorted[i] > 10_000).length;
    expect(workersSeen).toBe(2);

    // Disabled through one worker: the other must drop its cached copy at once (IPC through the
    // primary), not at the next SYNC_FREQUENCY reload.
    const disabled = await root.put('/api/token/?status_only=true', { id: token.id, status: 2 });
    expect(disabled.body.success).toBe(true);
    const refused: number[] = [];
    for (let i = 0; i < 8; i++) refused.push((await chat()).status);
    expect(refused).toEqual(Array(8).fill(401));
  });

  it('stops every worker on SIGTERM after each flushed its ledger', async () => {
    const workers = childrenOf(api.pid);
    const root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const token = await createToken(root, { name: 'ledger key', unlimited_quota: false, remain_quota: 1_000_000 });
    const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        freshRequest(`${api.baseUrl}/v1/chat/completions`, 'POST', { 'content-type': 'application/json', authorization: `Bearer ${token.key}` }, body),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await api.stop();
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
    const [logs] = await api.database.query<{ count: number | string; quota: number | string | null }>(
      'SELECT COUNT(*) AS count, SUM(quota) AS quota FROM logs WHERE token_id = ? AND type = 2',
      [token.id],
    );
    const [row] = await api.database.query<{ used_quota: number | string; remain_quota: number | string }>(
      'SELECT used_quota, remain_quota FROM tokens WHERE id = ?',
      [token.id],
    );
    expect(Number(logs.count)).toBe(20);
    expect(Number(logs.quota)).toBeGreaterThan(0);
    expect(Number(row.used_quota)).toBe(Number(logs.quota));
    expect(Number(row.used_quota) + Number(row.remain_quota)).toBe(1_000_000);
  });
});
