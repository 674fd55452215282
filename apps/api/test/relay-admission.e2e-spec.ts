import { connect } from 'node:net';
import { FakeBehaviour, FakeOpenAi, RecordedRequest, startFakeOpenAi } from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, waitFor, waitForLogs } from './relay-fixtures';

interface OpenAiErrorBody {
  error: { message: string; type: string; param: unknown; code: unknown };
}

/**
 * A reply that never costs more than its reservation, as from a real upstream: it honours the
 * (capped) max_tokens and reports fewer prompt tokens than the gateway estimates. (A settlement
 * above its reservation takes more from the key than in-flight reservations allowed for, and a
 * concurrent request's reservation may then be refused after its upstream call started.)
 */
function honouringMaxTokens(reply: string): (request: RecordedRequest) => FakeBehaviour {
  return (request) => ({ reply, promptTokens: 1, completionTokens: Math.min(7, Number(request.body.max_tokens ?? 7)) });
}

/** Every refusal of a relay request: right status, OpenAI-shaped body, a message that says what to fix. */
describe('relay: admission and refusals', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let user: ManagementClient;
  let fake: FakeOpenAi;

  const chat = (key: string | null, body: unknown = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, headers: Record<string, string> = {}) =>
    fetch(`${api.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  async function expectRefusal(response: Response, status: number, message: RegExp): Promise<OpenAiErrorBody> {
    const body = (await response.json()) as OpenAiErrorBody;
    expect(response.status).toBe(status);
    expect(body.error).toEqual({ message: expect.stringMatching(message), type: expect.any(String), param: null, code: expect.any(String) });
    return body;
  }

  beforeAll(async () => {
    api = await startApi({ env: { MAX_REQUEST_BODY_MB: '1' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    fake = await startFakeOpenAi({ reply: 'ok' });
    await createChannel(root, { base_url: fake.url, models: 'gpt-4o,gpt-4o-mini' });
    const created = await root.post('/api/user/', { username: 'payer', password: 'payer-password', display_name: 'Payer' });
    expect(created.body.success).toBe(true);
    const found = await root.get<{ items: { id: number; username: string }[] }>('/api/user/search?keyword=payer');
    const payerId = found.body.data!.items.find((u) => u.username === 'payer')!.id;
    const update = await root.put('/api/user/', { id: payerId, username: 'payer', display_name: 'Payer', quota: 1_000_000, group: 'default' });
    expect(update.body.success).toBe(true);
    user = await new ManagementClient(api.baseUrl).loginOrThrow('payer', 'payer-password');
  });

  afterAll(async () => {
    await api?.stop();
    await fake?.close();
  });

  it('refuses a request without a key', async () => {
    await expectRefusal(await chat(null), 401, /No API key/);
  });

  it('refuses an unknown key', async () => {
    await expectRefusal(await chat('sk-doesnotexist000000000000000000000000000000000'), 401, /Invalid API key/);
  });

  it('refuses a disabled key', async () => {
    const token = await createToken(user, { name: 'disabled' });
    const update = await user.put('/api/token/?status_only=true', { id: token.id, status: 2 });
    expect(update.body.success).toBe(true);
    await expectRefusal(await chat(token.key), 401, /disabled/);
  });

  it('refuses an expired key', async () => {
    const token = await createToken(user, { name: 'expiring' });
    await api.database.query('UPDATE tokens SET expired_time = ? WHERE id = ?', [Math.floor(Date.now() / 1000) - 60, token.id]);
    await expectRefusal(await chat(token.key), 401, /expired/);
  });

  it('refuses an exhausted key', async () => {
    const token = await createToken(user, { name: 'empty', unlimited_quota: false, remain_quota: 0 });
    await expectRefusal(await chat(token.key), 403, /no quota left/);
  });

  it('refuses a client IP outside the allow-list', async () => {
    const token = await createToken(user, { name: 'ip-limited', allow_ips: '10.9.8.7\n192.168.0.0/16' });
    await expectRefusal(await chat(token.key), 403, /not allowed/);
    const open = await createToken(user, { name: 'loopback-allowed', allow_ips: '127.0.0.1\n::1' });
    expect((await chat(open.key)).status).toBe(200);
  });

  it('refuses a model the key may not use', async () => {
    const token = await createToken(user, { name: 'model-limited', model_limits_enabled: true, model_limits: 'gpt-4o-mini' });
    await expectRefusal(await chat(token.key), 403, /no access to model gpt-4o/);
    expect((await chat(token.key, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
  });

  it('refuses an unknown model', async () => {
    const token = await createToken(user, { name: 'unknown-model' });
    await expectRefusal(await chat(token.key, { model: 'gpt-404', messages: [{ role: 'user', content: 'hi' }] }), 404, /gpt-404/);
  });

  it('refuses malformed JSON, a missing model and missing messages with 400', async () => {
    const token = await createToken(user, { name: 'bad-input' });
    await expectRefusal(await chat(token.key, '{"model": "gpt-4o", "messages": ['), 400, /not valid JSON/);
    await expectRefusal(await chat(token.key, { messages: [{ role: 'user', content: 'hi' }] }), 400, /model is required/);
    await expectRefusal(await chat(token.key, { model: 'gpt-4o' }), 400, /messages/);
    await expectRefusal(await chat(token.key, { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], max_tokens: -5 }), 400, /max_tokens/);
  });

  it('refuses an oversize body with 413', async () => {
    const token = await createToken(user, { name: 'oversize' });
    const huge = { model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }] };
    await expectRefusal(await chat(token.key, huge), 413, /too large/);
  });

  it('reads bodies the same on every path: charset, gzip, chunked past the limit, other protocols', async () => {
    const token = await createToken(user, { name: 'bodies' });
    const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    // JSON with a charset parameter, and a UTF-8 byte-order mark.
    expect((await chat(token.key, body, { 'content-type': 'application/json; charset=UTF-8' })).status).toBe(200);
    expect((await chat(token.key, `\uFEFF${body}`)).status).toBe(200);
    // A compressed body is inflated (served by the general route).
    const { gzipSync } = await import('node:zlib');
    const zipped = await fetch(`${api.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token.key}` },
      body: gzipSync(body),
    });
    expect(zipped.status).toBe(200);
    // JSON that is not an object or array is refused like malformed JSON.
    await expectRefusal(await chat(token.key, '"just a string"'), 400, /not valid JSON/);
    // No Content-Length (chunked upload) and past the 1 MiB limit: refused while reading.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        const piece = new TextEncoder().encode('x'.repeat(256 * 1024));
        controller.enqueue(new TextEncoder().encode('{"model":"gpt-4o","messages":[{"role":"user","content":"'));
        for (let i = 0; i < 6; i++) controller.enqueue(piece);
        controller.enqueue(new TextEncoder().encode('"}]}'));
        controller.close();
      },
    });
    const streamed = await fetch(`${api.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.key}` },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    await expectRefusal(streamed, 413, /too large/);
    // Claude's and Gemini's routes answer a malformed body in their own protocol.
    const claude = await fetch(`${api.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': token.key, 'anthropic-version': '2023-06-01' },
      body: '{"model":',
    });
    expect(claude.status).toBe(400);
    expect(await claude.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'Request body is not valid JSON' } });
    const gemini = await fetch(`${api.baseUrl}/v1beta/models/gpt-4o:generateContent?key=${token.key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"contents":',
    });
    expect(gemini.status).toBe(400);
    expect(await gemini.json()).toEqual({ error: { code: 400, message: 'Request body is not valid JSON', status: 'INVALID_ARGUMENT' } });
    // The server still answers on the same process afterwards (no listener left behind).
    expect((await chat(token.key)).status).toBe(200);
  });

  it('refuses a channel pin from a non-admin key', async () => {
    const token = await createToken(user, { name: 'pinning' });
    await expectRefusal(await chat(`${token.key}-1`), 403, /Only administrators/);
  });

  it('refuses a model without a price', async () => {
    await createChannel(root, { base_url: fake.url, models: 'unpriced-model-x' });
    const token = await createToken(user, { name: 'unpriced' });
    await expectRefusal(await chat(token.key, { model: 'unpriced-model-x', messages: [{ role: 'user', content: 'hi' }] }), 400, /no price/);
  });

  it("trusts a rich wallet behind an unlimited key over a huge up-front estimate, but not a modest one", async () => {
    const huge = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100_000_000 };
    // root: 100,000,000 quota, above TrustQuota (10 × 500000): served, billed for what was used.
    const rootKey = await createToken(root, { name: 'trusted' });
    expect((await chat(rootKey.key, huge)).status).toBe(200);
    // payer: 1,000,000 quota, below TrustQuota: the estimate (125,000,625) cannot be reserved.
    const payerKey = await createToken(user, { name: 'untrusted' });
    await expectRefusal(await chat(payerKey.key, huge), 403, /not have enough quota/);
  });

  it('admits a pipelined burst against what is already in flight: the unfunded part never goes upstream', async () => {
    fake.behave(honouringMaxTokens('burst'));
    const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 });
    // Kept-alive upstream connections first: on one, a request is written before its reservation commits.
    const warm = await createToken(root, { name: 'burst-warm-up' });
    await Promise.all(Array.from({ length: 40 }, async () => (await chat(warm.key, JSON.parse(body))).arrayBuffer()));
    // Funded for a few of the 40 requests below, pipelined on one connection.
    const token = await createToken(user, { name: 'burst', unlimited_quota: false, remain_quota: 600 });
    const upstreamBefore = fake.requests.length;
    const head = `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${token.key}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const replies = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: Number(new URL(api.baseUrl).port) }, () => socket.write((head + body).repeat(40)));
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if ((text.match(/HTTP\/1\.1 \d{3} /g) ?? []).length === 40) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    const statuses = [...replies.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    expect(statuses).toHaveLength(40);
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(40);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 403)).toBe(true);
    expect(fake.requests.length - upstreamBefore).toBe(ok);
  });

  it('never overdraws a limited key under 200 simultaneous requests, and the ledger adds up', async () => {
    // This fake ignores the capped max_tokens: some settlements cost more than their reservation,
    // which must still never overdraw the key (and may refuse a concurrent reservation after its
    // upstream call started, so upstream calls are counted in the burst test above, not here).
    fake.behave({ reply: 'a reply of some length', promptTokens: 10, completionTokens: 7 });
    const funded = 3_000;
    const token = await createToken(user, { name: 'race', unlimited_quota: false, remain_quota: funded });
    const selfBefore = await user.get<{ used_quota: number; quota: number }>('/api/user/self');
    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 };
    const responses = await Promise.all(Array.from({ length: 200 }, () => chat(token.key, body)));
    const statuses = responses.map((r) => r.status);
    const bodies = await Promise.all(responses.map((r) => r.text()));
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 403)).toBe(true);
    for (const [i, text] of bodies.entries()) if (statuses[i] === 403) expect(text).toMatch(/not have enough quota/);

    // Settlement runs behind the responses: wait for one consume log per success.
    const logs = await waitForLogs(root, `type=2&token_name=race`, (rows) => rows.filter((r) => r.token_id === token.id).length === ok, 20_000);
    const logged = logs.filter((r) => r.token_id === token.id).reduce((sum, r) => sum + r.quota, 0);
    const tokenRow = await waitFor(
      () => user.get<{ remain_quota: number; used_quota: number }>(`/api/token/${token.id}`),
      (reply) => reply.body.data!.used_quota === logged,
    );
    expect(tokenRow.body.data!.remain_quota).toBeGreaterThanOrEqual(0);
    expect(tokenRow.body.data!.remain_quota + tokenRow.body.data!.used_quota).toBe(funded);
    expect(logged).toBeLessThanOrEqual(funded);
    const selfAfter = await user.get<{ used_quota: number; quota: number }>('/api/user/self');
    expect(selfAfter.body.data!.used_quota - selfBefore.body.data!.used_quota).toBe(logged);
    expect(selfBefore.body.data!.quota - selfAfter.body.data!.quota).toBe(logged);
  });
});
