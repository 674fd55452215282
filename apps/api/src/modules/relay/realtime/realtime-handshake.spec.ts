import { PassThrough } from 'node:stream';
import { refuseUpgrade, subprotocolKey } from './realtime-handshake';

describe('subprotocolKey', () => {
  it('reads the key browsers send as a subprotocol', () => {
    expect(subprotocolKey('realtime, openai-insecure-api-key.sk-abc123, openai-beta.realtime-v1')).toBe('sk-abc123');
    expect(subprotocolKey(['realtime', 'openai-insecure-api-key.sk-x-7'])).toBe('sk-x-7');
  });

  it('gives an empty key when none is offered', () => {
    expect(subprotocolKey(undefined)).toBe('');
    expect(subprotocolKey('realtime, openai-beta.realtime-v1')).toBe('');
  });
});

describe('refuseUpgrade', () => {
  it('writes an HTTP error with an OpenAI-shaped JSON body and closes the socket', async () => {
    const socket = new PassThrough();
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    refuseUpgrade(socket, 401, 'auth/invalid-api-key', 'Invalid API key');
    await new Promise((resolve) => socket.once('close', resolve));
    const text = Buffer.concat(chunks).toString();
    const [head, body] = text.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
    expect(head).toMatch(new RegExp(`content-length: ${Buffer.byteLength(body)}`, 'i'));
    expect(JSON.parse(body)).toEqual({ error: { message: 'Invalid API key', type: 'authentication_error', param: null, code: 'auth/invalid-api-key' } });
    expect(socket.destroyed).toBe(true);
  });
});
