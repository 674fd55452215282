/**
 * Forward proxies for tests of per-channel proxy settings: a minimal HTTP proxy (CONNECT tunnels
 * and absolute-URI requests) and a SOCKS5 proxy. Both are real servers on 127.0.0.1 that record
 * what went through them, so a test can prove the gateway used the proxy and not a direct route.
 */
import { createServer as createSocksServer, defaultConnectionHandler } from '@pondwader/socks5-server';
import { createServer, IncomingMessage, request as httpRequest, Server } from 'node:http';
import { AddressInfo, connect, createServer as createNetServer, Socket } from 'node:net';

export interface ProxiedRequest {
  /** `CONNECT` for a tunnel, else the method of an absolute-URI request. */
  method: string;
  /** `host:port` of a tunnel, or the absolute URL of a plain request. */
  target: string;
  /** The Proxy-Authorization header, if any. */
  proxyAuthorization?: string;
}

export interface HttpForwardProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  requests: ProxiedRequest[];
  /** Answer every CONNECT with this status instead of opening the tunnel (e.g. 403); 0 = tunnel. */
  refuseWith: number;
  /** Ends every open tunnel and connection (the server keeps listening): the next call must connect anew. */
  dropConnections(): void;
  close(): Promise<void>;
}

const hostPort = (target: string): { host: string; port: number } => {
  const at = target.lastIndexOf(':');
  return { host: target.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(target.slice(at + 1)) };
};

export async function startHttpForwardProxy(): Promise<HttpForwardProxy> {
  const sockets = new Set<Socket>();
  const state: HttpForwardProxy = {
    url: '',
    port: 0,
    requests: [],
    refuseWith: 0,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer((req, res) => {
    // Absolute-URI form: `GET http://host:port/path HTTP/1.1`.
    const target = req.url ?? '';
    state.requests.push({ method: req.method ?? '', target, proxyAuthorization: header(req, 'proxy-authorization') });
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      res.writeHead(400).end('absolute URL expected');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      { host: url.hostname, port: url.port || 80, method: req.method, path: `${url.pathname}${url.search}`, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    state.requests.push({ method: 'CONNECT', target, proxyAuthorization: header(req, 'proxy-authorization') });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (state.refuseWith) {
      client.end(`HTTP/1.1 ${state.refuseWith} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const { host, port } = hostPort(target);
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n'));
    client.on('close', () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  return state;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface SocksProxy {
  /** `socks5://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** `host:port` of every CONNECT the proxy carried out. */
  connections: string[];
  close(): Promise<void>;
}

/** A port that was free a moment ago (the socks library listens on a port it is given). */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A SOCKS5 proxy without authentication, recording the destinations it connected to. */
export async function startSocksProxy(): Promise<SocksProxy> {
  const connections: string[] = [];
  // Open tunnels are tracked so close() can end them (the gateway keeps idle connections alive).
  const open = new Set<{ destroy(): void; once(event: 'close', listener: () => void): unknown }>();
  const track = (stream: { destroy(): void; once(event: 'close', listener: () => void): unknown }) => {
    open.add(stream);
    stream.once('close', () => open.delete(stream));
  };
  const server = createSocksServer();
  server.setConnectionHandler((connection, sendStatus) => {
    connections.push(`${connection.destAddress}:${connection.destPort}`);
    track(connection.socket);
    const upstream = defaultConnectionHandler(connection, sendStatus);
    if (upstream) track(upstream);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    url: `socks5://127.0.0.1:${port}`,
    port,
    connections,
    close: () => {
      for (const stream of open) stream.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
