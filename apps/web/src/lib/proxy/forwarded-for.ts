import type { IncomingMessage } from 'node:http';
import http from 'node:http';

/**
 * Makes X-Forwarded-For honest before Next.js sees a request.
 *
 * Next.js only sets X-Forwarded-For when the client did not send one
 * (`??=`), so a client could put any address there and the API, which reads
 * client IPs from it for rate limits and logs, would believe it. A reverse
 * proxy must append the address it actually got the connection from, as
 * nginx's `$proxy_add_x_forwarded_for` does. Route handlers cannot see the
 * socket, so this hooks the 'request' event of the Node HTTP server
 * (installed from instrumentation.ts, which runs before the server serves).
 */
const PATCHED = Symbol.for('your-api.web.forwarded-for');

export function appendPeerAddress(req: IncomingMessage): void {
  const peer = req.socket?.remoteAddress;
  if (!peer) return;
  const existing = req.headers['x-forwarded-for'];
  const prior = (Array.isArray(existing) ? existing.join(', ') : existing ?? '').trim();
  req.headers['x-forwarded-for'] = prior ? `${prior}, ${peer}` : peer;
}

export function installForwardedForFix(): void {
  const proto = http.Server.prototype as http.Server & { [PATCHED]?: boolean };
  if (proto[PATCHED]) return;
  proto[PATCHED] = true;
  const originalEmit = proto.emit as (...args: unknown[]) => boolean;
  proto.emit = function emit(this: http.Server, ...args: unknown[]): boolean {
    if (args[0] === 'request' && args[1]) appendPeerAddress(args[1] as IncomingMessage);
    return originalEmit.apply(this, args);
  } as typeof proto.emit;
}
