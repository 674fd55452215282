import { FakeOpenAi, startFakeOpenAi } from '@your-api/testing';
import { RunningApi, startApi, TestDatabase } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken } from './relay-fixtures';

/**
 * Batched billing (BATCH_UPDATE_ENABLED) with a flush interval far longer than the test: every
 * counter that settled requests moved must still reach the database, written at shutdown.
 */
describe('relay: batched ledger loses nothing on shutdown', () => {
  let api: RunningApi;
  let database: TestDatabase;
  let fake: FakeOpenAi;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ reply: 'batched reply', promptTokens: 20, completionTokens: 5 });
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'true', BATCH_UPDATE_INTERVAL: '3600' }, keepDatabase: true });
    database = api.database;
  });

  afterAll(async () => {
    await fake?.close();
    await database?.drop();
  });

  it('writes usage counters, logs and rollups of every settled request when the process stops', async () => {
    const root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const channelId = await createChannel(root, { base_url: fake.url, models: 'gpt-4o' });
    const unlimited = await createToken(root, { name: 'batched-unlimited' });
    const limited = await createToken(root, { name: 'batched-limited', unlimited_quota: false, remain_quota: 1_000_000 });
    const [rootBefore] = await database.query<{ used_quota: number; request_count: number; quota: number }>(
      'SELECT used_quota, request_count, quota FROM users WHERE id = 1',
    );
    const call = (key: string, stream: boolean) =>
      fetch(`${api.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', stream, messages: [{ role: 'user', content: 'count me' }] }),
      }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      });
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => call(i % 2 ? unlimited.key : limited.key, i % 3 === 0)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    // Counters are still in memory: the interval has not passed.
    await new Promise((r) => setTimeout(r, 500));
    const [pending] = await database.query<{ request_count: number }>('SELECT request_count FROM users WHERE id = 1');
    expect(Number(pending.request_count)).toBe(Number(rootBefore.request_count));
    await api.stop();

    // (20 + 5 × 4) × 1.25 = 50 per request
    const logs = await database.query<{ quota: number; token_id: number }>('SELECT quota, token_id FROM logs WHERE type = 2');
    expect(logs).toHaveLength(60);
    expect(logs.every((l) => Number(l.quota) === 50)).toBe(true);
    const tokens = await database.query<{ id: number; used_quota: number; remain_quota: number }>(
      'SELECT id, used_quota, remain_quota FROM tokens WHERE id IN (?, ?)',
      [unlimited.id, limited.id],
    );
    const byId = new Map(tokens.map((t) => [Number(t.id), t]));
    expect(Number(byId.get(unlimited.id)!.used_quota)).toBe(30 * 50);
    expect(Number(byId.get(limited.id)!.used_quota)).toBe(30 * 50);
    expect(Number(byId.get(limited.id)!.remain_quota)).toBe(1_000_000 - 30 * 50);
    const [rootAfter] = await database.query<{ used_quota: number; request_count: number; quota: number }>(
      'SELECT used_quota, request_count, quota FROM users WHERE id = 1',
    );
    expect(Number(rootAfter.used_quota) - Number(rootBefore.used_quota)).toBe(60 * 50);
    expect(Number(rootAfter.request_count) - Number(rootBefore.request_count)).toBe(60);
    expect(Number(rootBefore.quota) - Number(rootAfter.quota)).toBe(60 * 50);
    const [channel] = await database.query<{ used_quota: number }>('SELECT used_quota FROM channels WHERE id = ?', [channelId]);
    expect(Number(channel.used_quota)).toBe(60 * 50);
    const rollup = await database.query<{ count: number; quota: number }>('SELECT count, quota FROM quota_data');
    expect(rollup.reduce((n, r) => n + Number(r.count), 0)).toBe(60);
    expect(rollup.reduce((n, r) => n + Number(r.quota), 0)).toBe(60 * 50);
  });
});

/**
 * Two API processes on one database, BATCH_UPDATE off: each reserves with guarded UPDATEs on the
 * shared rows, so together they can no more overdraw a key than one can, and every move is logged.
 */
describe('relay: two processes sharing one database keep the ledger exact', () => {
  let a: RunningApi;
  let b: RunningApi;
  let database: TestDatabase;
  let fake: FakeOpenAi;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ reply: 'shared reply', promptTokens: 10, completionTokens: 7 });
    a = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false' }, keepDatabase: true });
    database = a.database;
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await fake?.close();
    await database?.drop();
  });

  it('never overdraws a key that both serve at once, and logs, key and wallet agree', async () => {
    const root = await new ManagementClient(a.baseUrl).loginOrThrow('root', '123456');
    await createChannel(root, { base_url: fake.url, models: 'gpt-4o' });
    const funded = 3_000;
    const token = await createToken(root, { name: 'shared-race', unlimited_quota: false, remain_quota: funded });
    // Started after the channel exists: without a shared Redis, B reads channels at start-up.
    b = await startApi({ database, keepDatabase: true, env: { BATCH_UPDATE_ENABLED: 'false', NODE_TYPE: 'slave' } });
    const [walletBefore] = await database.query<{ quota: number; used_quota: number; request_count: number }>(
      'SELECT quota, used_quota, request_count FROM users WHERE id = 1',
    );
    const call = (baseUrl: string) =>
      fetch(`${baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 }),
      }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      });
    const statuses = await Promise.all(Array.from({ length: 160 }, (_, i) => call(i % 2 ? a.baseUrl : b.baseUrl)));
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200 && s !== 403)).toEqual([]);
    // Stopping both writes every settlement and log row still in flight.
    await b.stop();
    await a.stop();

    const logs = await database.query<{ quota: number }>('SELECT quota FROM logs WHERE type = 2 AND token_id = ?', [token.id]);
    expect(logs).toHaveLength(ok);
    const logged = logs.reduce((sum, l) => sum + Number(l.quota), 0);
    expect(logged).toBeLessThanOrEqual(funded);
    const [row] = await database.query<{ remain_quota: number; used_quota: number }>('SELECT remain_quota, used_quota FROM tokens WHERE id = ?', [token.id]);
    expect(Number(row.remain_quota)).toBeGreaterThanOrEqual(0);
    expect(Number(row.used_quota)).toBe(logged);
    expect(Number(row.remain_quota) + Number(row.used_quota)).toBe(funded);
    const [walletAfter] = await database.query<{ quota: number; used_quota: number; request_count: number }>(
      'SELECT quota, used_quota, request_count FROM users WHERE id = 1',
    );
    expect(Number(walletBefore.quota) - Number(walletAfter.quota)).toBe(logged);
    expect(Number(walletAfter.used_quota) - Number(walletBefore.used_quota)).toBe(logged);
    expect(Number(walletAfter.request_count) - Number(walletBefore.request_count)).toBe(ok);
  });
});
