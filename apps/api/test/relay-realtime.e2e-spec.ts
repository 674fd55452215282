import { HttpForwardProxy, SocksProxy, startHttpForwardProxy, startSocksProxy } from '@your-api/testing';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { RunningApi, startApi, TestDatabase } from './harness';
import { ManagementClient } from './management-client';
import { ChannelInput, createChannel, createToken, LogRow, waitFor, waitForLogs } from './relay-fixtures';

/**
 * GET /v1/realtime end to end: a `ws` client → the gateway → a fake Realtime upstream (a real
 * WebSocket server speaking the beta protocol of protocols.md §5), billed at every response.done.
 */

/** The usage every ordinary response of the fake reports. */
const USAGE = {
  total_tokens: 450,
  input_tokens: 300,
  output_tokens: 150,
  input_token_details: { text_tokens: 100, audio_tokens: 200, cached_tokens: 64 },
  output_token_details: { text_tokens: 50, audio_tokens: 100 },
};
/**
 * gpt-4o-realtime-preview with the default ratios: model 2.5, completion 4 (gpt-4o*), audio 8,
 * audio completion 2 (the default table's `gpt-4o-realtime` prefix key), group 1:
 * (100 + 50×4 + 200×8 + 100×8×2) × 2.5 = 3500 × 2.5 = 8750.
 */
const RESPONSE_QUOTA = 8750;
/** The session hold: PreConsumedQuota 500 × model ratio 2.5. */
const HOLD = 1250;
/** Usage of a response cancelled because the client left: (20 + 5×4) × 2.5 = 100. */
const CANCELLED_USAGE = { total_tokens: 25, input_tokens: 20, output_tokens: 5, input_token_details: { text_tokens: 20, audio_tokens: 0, cached_tokens: 0 }, output_token_details: { text_tokens: 5, audio_tokens: 0 } };
const CANCELLED_QUOTA = 100;

interface UpstreamConnection {
  url: string;
  headers: IncomingMessage['headers'];
  received: unknown[];
}

interface FakeRealtime {
  url: string;
  host: string;
  connections: UpstreamConnection[];
  close(): Promise<void>;
}

/**
 * A Realtime upstream: session.created on connect; response.create → response.created, two
 * transcript deltas, a text delta and response.done with USAGE (or, with metadata.hold, waits
 * for response.cancel and then reports CANCELLED_USAGE); `fake.close` closes with the given code;
 * binary frames are echoed. The channel key `sk-refused` is refused at the handshake with 401.
 */
async function startFakeRealtime(): Promise<FakeRealtime> {
  const connections: UpstreamConnection[] = [];
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    if (req.headers.authorization === 'Bearer sk-refused') {
      const body = JSON.stringify({ error: { message: 'Incorrect API key provided: sk-ref***', type: 'invalid_request_error', code: 'invalid_api_key' } });
      socket.end(`HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, req));
  });
  let events = 0;
  const send = (ws: WebSocket, event: Record<string, unknown>) => ws.send(JSON.stringify({ event_id: `event_${++events}`, ...event }));
  const serve = (ws: WebSocket, req: IncomingMessage) => {
    const connection: UpstreamConnection = { url: req.url ?? '', headers: req.headers, received: [] };
    connections.push(connection);
    const model = new URL(req.url ?? '/', 'http://fake').searchParams.get('model') ?? 'azure-deployment';
    send(ws, { type: 'session.created', session: { id: 'sess_1', object: 'realtime.session', model } });
    let held: string | null = null;
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.send(data, { binary: true });
        return;
      }
      const event = JSON.parse(data.toString()) as { type: string; code?: number; reason?: string; response?: { metadata?: { hold?: boolean } } };
      connection.received.push(event);
      if (event.type === 'fake.close') {
        ws.close(event.code, event.reason);
        return;
      }
      if (event.type === 'response.cancel' && held) {
        send(ws, { type: 'response.done', response: { id: held, object: 'realtime.response', status: 'cancelled', output: [], usage: CANCELLED_USAGE } });
        held = null;
        return;
      }
      if (event.type !== 'response.create') return;
      const id = `resp_${events}`;
      send(ws, { type: 'response.created', response: { id, object: 'realtime.response', status: 'in_progress', output: [] } });
      send(ws, { type: 'response.audio_transcript.delta', response_id: id, item_id: 'item_1', output_index: 0, content_index: 0, delta: 'Hello' });
      if (event.response?.metadata?.hold) {
        held = id;
        return;
      }
      send(ws, { type: 'response.audio_transcript.delta', response_id: id, item_id: 'item_1', output_index: 0, content_index: 0, delta: ' there' });
      send(ws, { type: 'response.text.delta', response_id: id, item_id: 'item_1', output_index: 0, content_index: 1, delta: 'Hi' });
      send(ws, { type: 'response.done', response: { id, object: 'realtime.response', status: 'completed', output: [], usage: USAGE } });
    });
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    connections,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A ws client that queues the gateway's events. */
class RealtimeClient {
  private readonly queue: { data: Buffer; isBinary: boolean }[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => {
      this.queue.push({ data, isBinary });
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async open(url: string, options: { key?: string; protocols?: string[] } = {}): Promise<RealtimeClient> {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.key ? { authorization: `Bearer ${options.key}` } : {} });
    const client = new RealtimeClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused with ${res.statusCode}`)));
    });
    return client;
  }

  async nextFrame(timeoutMs = 5000): Promise<{ data: Buffer; isBinary: boolean }> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (Date.now() > deadline) throw new Error('no frame from the gateway in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.queue.shift()!;
  }

  async nextEvent(): Promise<{ type: string } & Record<string, unknown>> {
    const frame = await this.nextFrame();
    return JSON.parse(frame.data.toString()) as { type: string } & Record<string, unknown>;
  }

  /** Events up to and including the first of `type`. */
  async eventsUntil(type: string): Promise<({ type: string } & Record<string, unknown>)[]> {
    const events: ({ type: string } & Record<string, unknown>)[] = [];
    for (;;) {
      const event = await this.nextEvent();
      events.push(event);
      if (event.type === type) return events;
    }
  }

  send(event: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(event));
  }
}

/** Tries a handshake that the gateway must refuse; returns the HTTP status and JSON body. */
function refusedHandshake(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<{ status: number; body: { error: { message: string; type: string; code: string } } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
    ws.on('error', () => undefined);
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the handshake was accepted'));
    });
    ws.once('unexpected-response', (req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { error: { message: string; type: string; code: string } } });
      });
    });
  });
}

describe('relay: /v1/realtime WebSocket proxy', () => {
  let api: RunningApi;
  let database: TestDatabase;
  let root: ManagementClient;
  let fake: FakeRealtime;
  let httpProxy: HttpForwardProxy;
  let socksProxy: SocksProxy;
  let channelId: number;
  let wsBase: string;

  const addChannel = (input: ChannelInput & { setting?: string; other?: string }) => createChannel(root, input);
  const tokenRemain = async (id: number) => Number((await database.query<{ remain_quota: number }>('SELECT remain_quota FROM tokens WHERE id = ?', [id]))[0].remain_quota);
  const rootWallet = async () => Number((await database.query<{ quota: number }>('SELECT quota FROM users WHERE id = 1'))[0].quota);
  const logsOfToken = (tokenId: number, count: number) =>
    waitForLogs(root, 'type=2&p=1', (rows) => rows.filter((r) => r.token_id === tokenId).length >= count).then((rows) =>
      rows.filter((r) => r.token_id === tokenId).sort((a, b) => a.id - b.id),
    );
  const otherOf = (row: LogRow) => JSON.parse(row.other) as Record<string, unknown>;

  beforeAll(async () => {
    fake = await startFakeRealtime();
    httpProxy = await startHttpForwardProxy();
    socksProxy = await startSocksProxy();
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false', ERROR_LOG_ENABLED: 'true' }, keepDatabase: true });
    database = api.database;
    wsBase = `ws://127.0.0.1:${api.port}`;
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    channelId = await addChannel({ name: 'realtime', base_url: fake.url, models: 'gpt-4o-realtime-preview' });
    await addChannel({
      name: 'realtime via http proxy, mapped',
      base_url: fake.url,
      models: 'gpt-4o-mini-realtime-preview',
      model_mapping: JSON.stringify({ 'gpt-4o-mini-realtime-preview': 'gpt-4o-mini-realtime-preview-2024-12-17' }),
      setting: JSON.stringify({ proxy: httpProxy.url }),
    });
    await addChannel({ name: 'realtime via socks', base_url: fake.url, models: 'gpt-4o-realtime-preview-2024-12-17', setting: JSON.stringify({ proxy: socksProxy.url }) });
    await addChannel({ name: 'azure realtime', type: 3, key: 'azure-channel-key', base_url: fake.url, other: '2024-10-01-preview', models: 'gpt-4o-realtime-preview-2024-10-01' });
    await addChannel({ name: 'claude', type: 14, key: 'sk-ant-x', base_url: fake.url, models: 'gpt-4o-mini-realtime-preview-2024-12-17' });
    await addChannel({ name: 'refused key', key: 'sk-refused', base_url: fake.url, models: 'gpt-4o-audio-preview' });
    const probe = await createToken(root, { name: 'routing probe' });
    await waitFor(
      async () => {
        const response = await fetch(`${api.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${probe.key}` } });
        return ((await response.json()) as { data: { id: string }[] }).data.map((m) => m.id);
      },
      (ids) => ['gpt-4o-realtime-preview', 'gpt-4o-mini-realtime-preview', 'gpt-4o-realtime-preview-2024-10-01', 'gpt-4o-audio-preview'].every((m) => ids.includes(m)),
    );
  });

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
    await fake?.close();
    await httpProxy?.close();
    await socksProxy?.close();
  });

  it('relays a session both ways and bills each response.done exactly, with one consume log row each', async () => {
    const token = await createToken(root, { name: 'realtime limited', unlimited_quota: false, remain_quota: 1_000_000 });
    const walletBefore = await rootWallet();
    const client = await RealtimeClient.open(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview`, { key: token.key });
    const created = await client.nextEvent();
    expect(created).toMatchObject({ type: 'session.created', session: { model: 'gpt-4o-realtime-preview' } });
    const upstream = fake.connections.at(-1)!;
    expect(upstream.url).toBe('/v1/realtime?model=gpt-4o-realtime-preview');
    expect(upstream.headers.authorization).toBe('Bearer sk-upstream-secret');
    expect(upstream.headers['openai-beta']).toBe('realtime=v1');
    // While the session is open, the hold is taken from the token.
    expect(await tokenRemain(token.id)).toBe(1_000_000 - HOLD);

    for (let turn = 0; turn < 2; turn++) {
      client.send({ type: 'response.create', response: { modalities: ['text', 'audio'] } });
      const events = await client.eventsUntil('response.done');
      expect(events.map((e) => e.type)).toEqual([
        'response.created',
        'response.audio_transcript.delta',
        'response.audio_transcript.delta',
        'response.text.delta',
        'response.done',
      ]);
      expect(events.filter((e) => e.type === 'response.audio_transcript.delta').map((e) => e.delta)).toEqual(['Hello', ' there']);
      expect(events.at(-1)).toMatchObject({ response: { status: 'completed', usage: USAGE } });
    }
    expect(upstream.received).toEqual([
      { type: 'response.create', response: { modalities: ['text', 'audio'] } },
      { type: 'response.create', response: { modalities: ['text', 'audio'] } },
    ]);

    const rows = await logsOfToken(token.id, 2);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ model_name: 'gpt-4o-realtime-preview', quota: RESPONSE_QUOTA, prompt_tokens: 300, completion_tokens: 150, is_stream: true, channel: channelId });
      expect(otherOf(row)).toMatchObject({
        model_ratio: 2.5,
        completion_ratio: 4,
        audio_ratio: 8,
        audio_completion_ratio: 2,
        group_ratio: 1,
        text_input: 100,
        audio_input: 200,
        text_output: 50,
        audio_output: 100,
        cache_tokens: 64,
        is_stream: true,
        request_path: '/v1/realtime',
        upstream_model_name: 'gpt-4o-realtime-preview',
      });
    }

    client.ws.close(1000, 'done');
    expect(await client.closed).toMatchObject({ code: 1000 });
    // After close the unused hold is back: the token paid exactly the two responses.
    await waitFor(() => tokenRemain(token.id), (remain) => remain === 1_000_000 - 2 * RESPONSE_QUOTA);
    // The token's and the wallet's refunds are two atomic updates (one per row): wait for the wallet's too.
    await waitFor(rootWallet, (wallet) => walletBefore - wallet === 2 * RESPONSE_QUOTA);
    expect(walletBefore - (await rootWallet())).toBe(2 * RESPONSE_QUOTA);
    const [channel] = await database.query<{ used_quota: number }>('SELECT used_quota FROM channels WHERE id = ?', [channelId]);
    expect(Number(channel.used_quota)).toBeGreaterThanOrEqual(2 * RESPONSE_QUOTA);
  });

  it('accepts the key as the browser subprotocol and answers with the realtime subprotocol', async () => {
    const token = await createToken(root, { name: 'browser key' });
    const client = await RealtimeClient.open(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview`, {
      protocols: ['realtime', `openai-insecure-api-key.${token.key}`, 'openai-beta.realtime-v1'],
    });
    expect(client.ws.protocol).toBe('realtime');
    expect((await client.nextEvent()).type).toBe('session.created');
    const upstream = fake.connections.at(-1)!;
    // The upstream gets the channel's key, never the client's.
    expect(upstream.headers.authorization).toBe('Bearer sk-upstream-secret');
    expect(JSON.stringify(upstream.headers)).not.toContain(token.key.replace(/^sk-/, ''));
    client.ws.close();
    await client.closed;
  });

  it('refuses a bad or missing key with HTTP 401 before the upgrade', async () => {
    const bad = await refusedHandshake(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview`, { headers: { authorization: 'Bearer sk-not-a-real-key' } });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toMatchObject({ type: 'authentication_error', code: 'auth/invalid-api-key' });
    const badProtocol = await refusedHandshake(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview`, { protocols: ['realtime', 'openai-insecure-api-key.sk-nope'] });
    expect(badProtocol.status).toBe(401);
    const missing = await refusedHandshake(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview`);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('auth/missing-api-key');
  });

  it('refuses a model the key may not use (403), an unknown or missing model (404/400) and other paths (404)', async () => {
    const limited = await createToken(root, { name: 'model-limited', model_limits_enabled: true, model_limits: 'gpt-4o' });
    const forbidden = await refusedHandshake(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview`, { headers: { authorization: `Bearer ${limited.key}` } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('auth/model-not-allowed');
    const token = await createToken(root, { name: 'routing checks' });
    const headers = { authorization: `Bearer ${token.key}` };
    const unknown = await refusedHandshake(`${wsBase}/v1/realtime?model=no-such-realtime-model`, { headers });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('relay/model-not-found');
    const noModel = await refusedHandshake(`${wsBase}/v1/realtime`, { headers });
    expect(noModel.status).toBe(400);
    const otherPath = await refusedHandshake(`${wsBase}/v1/chat/completions`, { headers });
    expect(otherPath.status).toBe(404);
  });

  it('refuses a key that cannot pay the session hold with 403 and takes nothing', async () => {
    const poor = await createToken(root, { name: 'poor', unlimited_quota: false, remain_quota: HOLD - 1 });
    const refused = await refusedHandshake(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview`, { headers: { authorization: `Bearer ${poor.key}` } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('billing/insufficient-token-quota');
    expect(await tokenRemain(poor.id)).toBe(HOLD - 1);
  });

  it('tells the client and closes when the key can no longer pay, never taking it below zero', async () => {
    // Enough for the hold and one response: the second is paid from the hold as far as it goes.
    const token = await createToken(root, { name: 'runs dry', unlimited_quota: false, remain_quota: HOLD + RESPONSE_QUOTA });
    const client = await RealtimeClient.open(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview`, { key: token.key });
    await client.nextEvent();
    client.send({ type: 'response.create' });
    await client.eventsUntil('response.done');
    client.send({ type: 'response.create' });
    await client.eventsUntil('response.done');
    const error = await client.nextEvent();
    expect(error).toMatchObject({ type: 'error', error: { type: 'insufficient_quota', code: 'insufficient_quota' } });
    expect(await client.closed).toEqual({ code: 1008, reason: 'insufficient quota' });
    const rows = await logsOfToken(token.id, 2);
    expect(rows.map((r) => r.quota)).toEqual([RESPONSE_QUOTA, HOLD]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await tokenRemain(token.id)).toBe(0);
  });

  it('closes the client with the code and reason the upstream closed with, and passes binary frames', async () => {
    const token = await createToken(root, { name: 'close codes' });
    const client = await RealtimeClient.open(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview`, { key: token.key });
    await client.nextEvent();
    client.ws.send(Buffer.from([0, 1, 2, 253, 254, 255]));
    const echoed = await client.nextFrame();
    expect(echoed).toEqual({ data: Buffer.from([0, 1, 2, 253, 254, 255]), isBinary: true });
    client.send({ type: 'fake.close', code: 4005, reason: 'upstream is done' });
    expect(await client.closed).toEqual({ code: 4005, reason: 'upstream is done' });
  });

  it('bills a response still running when the client leaves, after asking the upstream to cancel it', async () => {
    const token = await createToken(root, { name: 'leaves early' });
    const client = await RealtimeClient.open(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview`, { key: token.key });
    await client.nextEvent();
    const upstream = fake.connections.at(-1)!;
    client.send({ type: 'response.create', response: { metadata: { hold: true } } });
    expect((await client.nextEvent()).type).toBe('response.created');
    client.ws.close(1000);
    const rows = await logsOfToken(token.id, 1);
    expect(rows[0]).toMatchObject({ quota: CANCELLED_QUOTA, prompt_tokens: 20, completion_tokens: 5 });
    expect(upstream.received.map((e) => (e as { type: string }).type)).toEqual(['response.create', 'response.cancel']);
  });

  it('sends the mapped model upstream through the channel http proxy', async () => {
    const token = await createToken(root, { name: 'mapped' });
    const client = await RealtimeClient.open(`${wsBase}/v1/realtime?model=gpt-4o-mini-realtime-preview`, { key: token.key });
    expect(await client.nextEvent()).toMatchObject({ type: 'session.created', session: { model: 'gpt-4o-mini-realtime-preview-2024-12-17' } });
    expect(fake.connections.at(-1)!.url).toBe('/v1/realtime?model=gpt-4o-mini-realtime-preview-2024-12-17');
    expect(httpProxy.requests).toContainEqual(expect.objectContaining({ method: 'CONNECT', target: fake.host }));
    client.send({ type: 'response.create' });
    await client.eventsUntil('response.done');
    const [row] = await logsOfToken(token.id, 1);
    expect(row.model_name).toBe('gpt-4o-mini-realtime-preview');
    expect(otherOf(row)).toMatchObject({ is_model_mapped: true, upstream_model_name: 'gpt-4o-mini-realtime-preview-2024-12-17' });
    client.ws.close();
    await client.closed;
  });

  it('reaches the upstream through a socks5 channel proxy', async () => {
    const token = await createToken(root, { name: 'socks' });
    const client = await RealtimeClient.open(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview-2024-12-17`, { key: token.key });
    expect((await client.nextEvent()).type).toBe('session.created');
    expect(socksProxy.connections).toContain(fake.host);
    client.ws.close();
    await client.closed;
  });

  it('opens Azure sessions on the deployment URL with the api-key header', async () => {
    const token = await createToken(root, { name: 'azure' });
    const client = await RealtimeClient.open(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview-2024-10-01`, { key: token.key });
    expect((await client.nextEvent()).type).toBe('session.created');
    const upstream = fake.connections.at(-1)!;
    expect(upstream.url).toBe('/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime-preview-2024-10-01');
    expect(upstream.headers['api-key']).toBe('azure-channel-key');
    expect(upstream.headers.authorization).toBeUndefined();
    client.ws.close();
    await client.closed;
  });

  it('refuses a channel type without realtime (400) and an upstream that refuses the channel key (502), refunding the hold', async () => {
    const token = await createToken(root, { name: 'refusals', unlimited_quota: false, remain_quota: 100_000 });
    const headers = { authorization: `Bearer ${token.key}` };
    const claude = await refusedHandshake(`${wsBase}/v1/realtime?model=gpt-4o-mini-realtime-preview-2024-12-17`, { headers });
    expect(claude.status).toBe(400);
    expect(claude.body.error.code).toBe('channel/realtime-unsupported');
    const refused = await refusedHandshake(`${wsBase}/v1/realtime?model=gpt-4o-audio-preview`, { headers });
    expect(refused.status).toBe(502);
    expect(refused.body.error.code).toBe('upstream/channel-auth-failed');
    expect(JSON.stringify(refused.body)).not.toContain('sk-ref');
    expect(await tokenRemain(token.id)).toBe(100_000);
  });

  it('closes open sessions with 1001 at shutdown and returns their hold', async () => {
    const token = await createToken(root, { name: 'at shutdown', unlimited_quota: false, remain_quota: 50_000 });
    const client = await RealtimeClient.open(`${wsBase}/v1/realtime?model=gpt-4o-realtime-preview`, { key: token.key });
    await client.nextEvent();
    client.send({ type: 'response.create' });
    await client.eventsUntil('response.done');
    await api.stop();
    expect((await client.closed).code).toBe(1001);
    const logs = await database.query<{ quota: number }>('SELECT quota FROM logs WHERE type = 2 AND token_id = ?', [token.id]);
    expect(logs.map((l) => Number(l.quota))).toEqual([RESPONSE_QUOTA]);
    expect(await tokenRemain(token.id)).toBe(50_000 - RESPONSE_QUOTA);
  });
});
