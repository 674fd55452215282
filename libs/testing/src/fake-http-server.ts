/** The HTTP plumbing every fake upstream shares: a loopback server handing each request over with its body read whole. */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Drops open connections (streams a test left running) and stops listening. */
  close(): Promise<void>;
}

export async function startFakeHttpServer(onRequest: (req: IncomingMessage, rawBody: string, res: ServerResponse) => void): Promise<FakeHttpServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => onRequest(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A request body as a JSON object; `{}` when it is empty or not JSON (fakes answer such requests with their own errors). */
export function parseJsonObject(rawBody: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(rawBody || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
