import { randomBytes } from 'node:crypto';
import { FakeMidjourney, startFakeMidjourney } from '@your-api/testing';
import { RunningApi, startApi, TestDatabase, testDatabaseKind } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, waitFor } from './relay-fixtures';
import { requireRedis, TEST_REDIS_URL } from './redis-fixture';

/**
 * The task poller on BullMQ: two API processes share one database and one Redis; the job
 * scheduler fires each poll once for both (not once per process), and a failed task is refunded
 * once. Needs a real Redis at TEST_TEST_REDIS_URL (default redis://127.0.0.1:6379); the suite fails
 * when it is unreachable.
 */

const kind = testDatabaseKind();
const quoted = (name: string) => (kind === 'mysql' ? `\`${name}\`` : `"${name}"`);
const QPU = 500_000;
const POLL_MS = 300;

async function insertUser(db: TestDatabase, username: string, quota: number): Promise<{ id: number; accessToken: string }> {
  const accessToken = randomBytes(16).toString('hex');
  await db.query(
    `INSERT INTO users (username, password, display_name, role, status, access_token, quota, ${quoted('group')}) VALUES (?, ?, ?, 1, 1, ?, ?, 'default')`,
    [username, 'not-a-login-password', username, accessToken, quota],
  );
  const [row] = await db.query<{ id: number }>('SELECT id FROM users WHERE username = ?', [username]);
  return { id: Number(row.id), accessToken };
}

describe(`task polling through BullMQ (${kind})`, () => {
  let first: RunningApi;
  let second: RunningApi;
  let fake: FakeMidjourney;
  const env = () => ({
    BATCH_UPDATE_ENABLED: 'false',
    TASK_POLL_INTERVAL_MS: String(POLL_MS),
    REDIS_CONN_STRING: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `tasks-test-${randomBytes(4).toString('hex')}`,
  });

  beforeAll(async () => {
    await requireRedis(TEST_REDIS_URL);
    fake = await startFakeMidjourney('secret');
    const shared = env();
    first = await startApi({ env: shared, keepDatabase: true });
    second = await startApi({ env: shared, database: first.database, keepDatabase: true });
  });

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    await first?.database.drop();
    await fake?.close();
  });

  it('polls once per interval for all processes and refunds a failure once', async () => {
    await waitFor(async () => first.output() + second.output(), (output) => output.split('through BullMQ').length === 3);
    const root = await new ManagementClient(first.baseUrl).loginOrThrow('root', '123456');
    await createChannel(root, { type: 2, key: 'secret', base_url: fake.url, models: 'mj_imagine' });
    const user = await insertUser(first.database, 'erin', 10 * QPU);
    const token = await createToken(new ManagementClient(first.baseUrl).useAccessToken(user.accessToken, user.id));
    // The second process learns the channel on its next index rebuild; submit through the first.
    const reply = await fetch(`${first.baseUrl}/mj/submit/imagine`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.key}` },
      body: JSON.stringify({ prompt: 'queued fox' }),
    });
    const body = (await reply.json()) as { code: number; result: string };
    expect(body.code).toBe(1);
    const polls = () => fake.requests.filter((r) => r.path === '/mj/task/list-by-condition').length;
    await waitFor(async () => polls(), (n) => n >= 1);
    const start = polls();
    const windowMs = 10 * POLL_MS;
    await new Promise((r) => setTimeout(r, windowMs));
    const fired = polls() - start;
    // One scheduler for both processes: about windowMs / POLL_MS polls, not twice as many.
    expect(fired).toBeGreaterThanOrEqual(5);
    expect(fired).toBeLessThanOrEqual(14);

    fake.setTask(body.result, { status: 'FAILURE', progress: '', failReason: 'no' });
    const status = async () => (await first.database.query<{ status: string }>('SELECT status FROM midjourneys WHERE mj_id = ?', [body.result]))[0].status;
    await waitFor(status, (s) => s === 'FAILURE');
    await new Promise((r) => setTimeout(r, 4 * POLL_MS));
    const [wallet] = await first.database.query<{ quota: number }>('SELECT quota FROM users WHERE id = ?', [user.id]);
    expect(Number(wallet.quota)).toBe(10 * QPU);
    const refunds = await first.database.query('SELECT * FROM logs WHERE user_id = ? AND type = 6', [user.id]);
    expect(refunds).toHaveLength(1);
  });
});
