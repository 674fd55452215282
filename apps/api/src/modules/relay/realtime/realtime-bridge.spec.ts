import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { forwardableCode, RealtimeBridge } from './realtime-bridge';

/** A client, a bridge and an upstream, all real WebSockets on 127.0.0.1. */
async function bridged() {
  const upstreamServer = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => upstreamServer.once('listening', resolve));
  const upstreamPeer = new Promise<WebSocket>((resolve) => upstreamServer.once('connection', resolve));
  const gateway = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => gateway.once('listening', resolve));
  const seenText: string[] = [];
  let ends = 0;
  let resolveEnd = () => {};
  const ended = new Promise<void>((resolve) => (resolveEnd = resolve));
  let resolveBridge = () => {};
  const bridgeReady = new Promise<void>((resolve) => (resolveBridge = resolve));
  gateway.once('connection', (clientSide) => {
    const upstream = new WebSocket(`ws://127.0.0.1:${(upstreamServer.address() as AddressInfo).port}`);
    upstream.once('open', () => {
      new RealtimeBridge(clientSide, upstream, {
        onUpstreamText: (frame) => seenText.push(frame.toString()),
        onEnd: () => {
          ends++;
          resolveEnd();
        },
      });
      resolveBridge();
    });
  });
  const client = new WebSocket(`ws://127.0.0.1:${(gateway.address() as AddressInfo).port}`);
  await new Promise((resolve) => client.once('open', resolve));
  const peer = await upstreamPeer;
  await bridgeReady;
  return {
    client,
    peer,
    seenText,
    ended,
    ends: () => ends,
    close: async () => {
      client.terminate();
      peer.terminate();
      await new Promise((resolve) => upstreamServer.close(resolve));
      await new Promise((resolve) => gateway.close(resolve));
    },
  };
}

const next = (socket: WebSocket) => new Promise<{ data: RawData; isBinary: boolean }>((resolve) => socket.once('message', (data, isBinary) => resolve({ data, isBinary })));
const closed = (socket: WebSocket) => new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

describe('RealtimeBridge', () => {
  it('passes text and binary frames both ways unchanged and shows upstream text to the hook', async () => {
    const t = await bridged();
    try {
      const atPeer = next(t.peer);
      t.client.send('{"type":"response.create"}');
      expect(await atPeer).toEqual({ data: Buffer.from('{"type":"response.create"}'), isBinary: false });
      const binaryAtPeer = next(t.peer);
      t.client.send(Buffer.from([0, 1, 2, 255]));
      expect(await binaryAtPeer).toEqual({ data: Buffer.from([0, 1, 2, 255]), isBinary: true });
      const atClient = next(t.client);
      t.peer.send('{"type":"session.created"}');
      expect(await atClient).toEqual({ data: Buffer.from('{"type":"session.created"}'), isBinary: false });
      const binaryAtClient = next(t.client);
      t.peer.send(Buffer.from([9, 8, 7]));
      expect(await binaryAtClient).toEqual({ data: Buffer.from([9, 8, 7]), isBinary: true });
      expect(t.seenText).toEqual(['{"type":"session.created"}']);
    } finally {
      await t.close();
    }
  });

  it('closes the client with the code and reason the upstream closed with', async () => {
    const t = await bridged();
    try {
      const clientClosed = closed(t.client);
      t.peer.close(4001, 'upstream says bye');
      expect(await clientClosed).toEqual({ code: 4001, reason: 'upstream says bye' });
      await t.ended;
      expect(t.ends()).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('closes the upstream with the code the client closed with', async () => {
    const t = await bridged();
    try {
      const peerClosed = closed(t.peer);
      t.client.close(4002, 'client done');
      expect(await peerClosed).toEqual({ code: 4002, reason: 'client done' });
      await t.ended;
    } finally {
      await t.close();
    }
  });

  it('cancels a running response when the client leaves and waits for its response.done', async () => {
    const t = await bridged();
    try {
      const created = next(t.client);
      t.peer.send('{"type":"response.created","response":{"id":"r1"}}');
      await created;
      const cancel = next(t.peer);
      t.client.close(1000);
      expect(JSON.parse((await cancel).data.toString())).toEqual({ type: 'response.cancel' });
      const peerClosed = closed(t.peer);
      t.peer.send('{"type":"response.done","response":{"id":"r1","status":"cancelled","usage":{"input_tokens":3}}}');
      expect((await peerClosed).code).toBe(1000);
      await t.ended;
      expect(t.seenText.at(-1)).toContain('"response.done"');
    } finally {
      await t.close();
    }
  });

  it('failClient sends the event, then closes both sides', async () => {
    const upstreamServer = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => upstreamServer.once('listening', resolve));
    const gateway = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => gateway.once('listening', resolve));
    const peerReady = new Promise<WebSocket>((resolve) => upstreamServer.once('connection', resolve));
    const bridgeReady = new Promise<RealtimeBridge>((resolve) =>
      gateway.once('connection', (clientSide) => {
        const upstream = new WebSocket(`ws://127.0.0.1:${(upstreamServer.address() as AddressInfo).port}`);
        upstream.once('open', () => resolve(new RealtimeBridge(clientSide, upstream, { onUpstreamText: () => undefined, onEnd: () => undefined })));
      }),
    );
    const client = new WebSocket(`ws://127.0.0.1:${(gateway.address() as AddressInfo).port}`);
    try {
      const [bridge, peer] = await Promise.all([bridgeReady, peerReady]);
      const event = next(client);
      const clientClosed = closed(client);
      const peerClosed = closed(peer);
      bridge.failClient({ type: 'error', error: { code: 'insufficient_quota' } }, 1008, 'insufficient quota');
      expect(JSON.parse((await event).data.toString())).toEqual({ type: 'error', error: { code: 'insufficient_quota' } });
      expect(await clientClosed).toEqual({ code: 1008, reason: 'insufficient quota' });
      expect((await peerClosed).code).toBe(1008);
    } finally {
      client.terminate();
      await new Promise((resolve) => upstreamServer.close(resolve));
      await new Promise((resolve) => gateway.close(resolve));
    }
  });
});

describe('forwardableCode', () => {
  it('keeps sendable codes and replaces reserved ones', () => {
    expect(forwardableCode(1000)).toBe(1000);
    expect(forwardableCode(1011)).toBe(1011);
    expect(forwardableCode(4000)).toBe(4000);
    expect(forwardableCode(1005)).toBe(1000);
    expect(forwardableCode(1006, 1011)).toBe(1011);
    expect(forwardableCode(1015, 1011)).toBe(1011);
    expect(forwardableCode(2999, 1011)).toBe(1011);
  });
});
