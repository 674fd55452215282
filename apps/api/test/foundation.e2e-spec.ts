import { ManagementClient } from './management-client';
import { RunningApi, startApi } from './harness';

/** Cross-cutting behaviour of the management API: first start, errors, request ids, body limits. */
describe('foundation', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ env: { MAX_REQUEST_BODY_MB: '1' } });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('creates root / 123456 with 100,000,000 quota on first start', async () => {
    const client = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const self = await client.get<{ username: string; role: number; quota: number }>('/api/user/self');
    expect(self.status).toBe(200);
    expect(self.body.data).toMatchObject({ username: 'root', role: 100, quota: 100_000_000 });
    const rows = await api.database.query<{ username: string; password: string }>('SELECT username, password FROM users');
    expect(rows).toHaveLength(1);
    expect(rows[0].password).toMatch(/^\$2[aby]\$10\$/);
  });

  it('gives every response a request id', async () => {
    const response = await fetch(`${api.baseUrl}/api/status`);
    expect(response.headers.get('x-oneapi-request-id')).toMatch(/^\d{17}[0-9a-f]{8}$/);
  });

  it('answers malformed JSON with 400 and the management envelope', async () => {
    const response = await fetch(`${api.baseUrl}/api/user/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username": "root", ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ success: false, message: 'Request body is not valid JSON' });
  });

  it('answers an oversize body with 413 and the management envelope', async () => {
    const response = await fetch(`${api.baseUrl}/api/user/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'root', password: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { success: boolean; message: string };
    expect(body.success).toBe(false);
    expect(body.message).toMatch(/too large/);
  });

  it('answers an unknown /api route with 404 in the envelope', async () => {
    const response = await fetch(`${api.baseUrl}/api/no-such-thing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ success: false, message: 'Not found: no such route' });
  });

  it('rejects wrong field types with 400 and names the field', async () => {
    const client = new ManagementClient(api.baseUrl);
    const reply = await client.post('/api/user/login', { username: 123, password: 'x' });
    expect(reply.status).toBe(400);
    expect(reply.body.success).toBe(false);
    expect(reply.body.message).toMatch(/username/);
  });

  it('refuses a wrong password without saying whether the user exists', async () => {
    const client = new ManagementClient(api.baseUrl);
    const wrongPassword = await client.login('root', 'nope-nope');
    const unknownUser = await client.login('ghost', 'nope-nope');
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.body.message).toBe(unknownUser.body.message);
  });

  it('sets an HttpOnly, SameSite=Strict, 30-day session cookie on login', async () => {
    const reply = await new ManagementClient(api.baseUrl).login('root', '123456');
    const cookies = reply.headers.getSetCookie().join('\n');
    expect(cookies).toMatch(/session=/);
    expect(cookies).toMatch(/httponly/i);
    expect(cookies).toMatch(/samesite=strict/i);
    const expires = /expires=([^;]+)/i.exec(cookies)?.[1];
    expect(expires).toBeDefined();
    const days = (Date.parse(expires as string) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
  });

  it('refuses a forged session cookie', async () => {
    const client = new ManagementClient(api.baseUrl);
    const forged = Buffer.from(JSON.stringify({ id: 1, role: 100 })).toString('base64');
    const reply = await client.request('GET', '/api/user/self', undefined, { cookie: `session=${forged}`, 'New-Api-User': '1' });
    expect(reply.status).toBe(401);
  });
});
