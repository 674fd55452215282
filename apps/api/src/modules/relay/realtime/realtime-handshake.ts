import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { renderError } from '../../../common/error-format';

/** The subprotocol prefix browsers carry the API key in (they cannot set headers on a WebSocket). */
const KEY_SUBPROTOCOL = 'openai-insecure-api-key.';

/** The key a browser sends as the `openai-insecure-api-key.<key>` subprotocol, or ''. */
export function subprotocolKey(header: string | string[] | undefined): string {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  for (const entry of values.flatMap((v) => v.split(','))) {
    const protocol = entry.trim();
    if (protocol.startsWith(KEY_SUBPROTOCOL)) return protocol.slice(KEY_SUBPROTOCOL.length);
  }
  return '';
}

/** Answers an upgrade request with a plain HTTP error in OpenAI's shape and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(renderError('openai', status, code, message));
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
  );
}
