import { ChannelType } from '@your-api/contracts';
import { azureDeploymentName, DEFAULT_BASE_URLS } from '@your-api/provider-adapters';
import { UpstreamError } from '@your-api/providers-core';
import { socksConnector } from 'fetch-socks';
import { request as httpRequest, type ClientRequestArgs } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';

/** The channel fields that decide where a realtime session goes. */
export interface RealtimeChannel {
  type: number;
  base_url: string | null;
  /** Azure: the api-version. */
  other: string | null;
  open_ai_organization?: string | null;
}

/** The upstream WebSocket URL and handshake headers of one session. */
export interface RealtimeUpstreamTarget {
  url: string;
  headers: Record<string, string>;
}

/** Channel types that speak the OpenAI Realtime protocol. */
export function servesRealtime(channelType: number): boolean {
  return channelType === ChannelType.OpenAI || channelType === ChannelType.Azure;
}

/** http(s) → ws(s); a base URL already in ws(s) form is kept. */
export function toWebSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http(s?):\/\//i, (_match, secure: string) => (secure ? 'wss://' : 'ws://'));
}

/**
 * Where a session for `upstreamModel` goes on this channel: OpenAI `…/v1/realtime?model=`, Azure
 * `…/openai/realtime?api-version=…&deployment=…` (key in `api-key`), with the beta header the
 * Realtime beta protocol needs.
 */
export function realtimeUpstreamTarget(
  channel: RealtimeChannel,
  apiKey: string,
  upstreamModel: string,
  opts: { azureDefaultApiVersion: string; openAiBeta: string },
): RealtimeUpstreamTarget {
  const base = ((channel.base_url ?? '').trim() || DEFAULT_BASE_URLS[channel.type] || 'https://api.openai.com').replace(/\/+$/, '');
  const headers: Record<string, string> = { 'openai-beta': opts.openAiBeta };
  if (channel.type === ChannelType.Azure) {
    const version = (channel.other ?? '').trim() || opts.azureDefaultApiVersion;
    const query = new URLSearchParams({ 'api-version': version, deployment: azureDeploymentName(upstreamModel) });
    headers['api-key'] = apiKey;
    return { url: `${toWebSocketUrl(base)}/openai/realtime?${query.toString()}`, headers };
  }
  headers.authorization = `Bearer ${apiKey}`;
  if (channel.open_ai_organization) headers['openai-organization'] = channel.open_ai_organization;
  const path = base.endsWith('/v1') ? '/realtime' : '/v1/realtime';
  return { url: `${toWebSocketUrl(base)}${path}?${new URLSearchParams({ model: upstreamModel }).toString()}`, headers };
}

/** `ws`'s createConnection hook in its asynchronous form (node's ClientRequest accepts a callback). */
export type ConnectionFactory = (options: ClientRequestArgs, done: (error: Error | null, socket?: Duplex) => void) => undefined;

/**
 * A connection factory that reaches the upstream through a channel's proxy: an HTTP CONNECT
 * tunnel for http/https proxies, fetch-socks (the library of the HTTP relay's socks dispatcher)
 * for socks5/socks5h; for a `secure` (wss) upstream, TLS is then started inside the tunnel.
 * An unusable proxy URL throws a retryable UpstreamError that never repeats the URL.
 */
export function proxyConnectionFactory(proxyUrl: string, tls: { rejectUnauthorized: boolean }, secure: boolean): ConnectionFactory {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw invalidProxy('it is not a valid URL');
  }
  if (!url.hostname) throw invalidProxy('it names no host');
  switch (url.protocol) {
    case 'http:':
    case 'https:':
      return (options, done) => {
        connectTunnel(url, options, tls, secure).then(
          (socket) => done(null, socket),
          (error: Error) => done(error),
        );
        return undefined;
      };
    case 'socks5:':
    case 'socks5h:': {
      if (!url.port) throw invalidProxy('a socks5 proxy URL needs a port');
      const connector = socksConnector(
        {
          type: 5,
          host: url.hostname,
          port: Number(url.port),
          userId: url.username ? decodeURIComponent(url.username) : undefined,
          password: url.password ? decodeURIComponent(url.password) : undefined,
        },
        tls,
      );
      return (options, done) => {
        void connector(
          {
            protocol: secure ? 'https:' : 'http:',
            hostname: targetHost(options),
            port: String(targetPort(options, secure)),
            servername: serverName(options),
          } as Parameters<typeof connector>[0],
          (error, socket) => (error ? done(error) : done(null, socket as Socket)),
        );
        return undefined;
      };
    }
    default:
      throw invalidProxy(`the scheme "${url.protocol.replace(':', '').slice(0, 20)}" is not http, https, socks5 or socks5h`);
  }
}

/** Opens a CONNECT tunnel to the upstream through an http(s) proxy; wraps it in TLS for wss. */
function connectTunnel(proxy: URL, options: ClientRequestArgs, tls: { rejectUnauthorized: boolean }, secure: boolean): Promise<Duplex> {
  const host = targetHost(options);
  const authority = `${host.includes(':') ? `[${host}]` : host}:${targetPort(options, secure)}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const send = proxy.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
      rejectUnauthorized: tls.rejectUnauthorized,
    });
    request.once('connect', (response, socket: Socket, head: Buffer) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(new UpstreamError(502, 'upstream/unreachable', 'Could not reach the upstream through the channel proxy', true));
        return;
      }
      if (head.length > 0) socket.unshift(head);
      if (!secure) {
        resolve(socket);
        return;
      }
      const tlsSocket = tlsConnect({ socket, servername: serverName(options), rejectUnauthorized: tls.rejectUnauthorized, ALPNProtocols: ['http/1.1'] });
      tlsSocket.once('secureConnect', () => resolve(tlsSocket));
      tlsSocket.once('error', reject);
    });
    request.once('error', () => reject(new UpstreamError(502, 'upstream/unreachable', 'Could not reach the channel proxy', true)));
    request.end();
  });
}

function targetHost(options: ClientRequestArgs): string {
  return String(options.hostname ?? options.host ?? 'localhost').replace(/^\[|\]$/g, '');
}

/** The TLS server name: ws passes one for wss; an IP address gets none (SNI forbids it). */
function serverName(options: ClientRequestArgs): string | undefined {
  const given = (options as { servername?: string }).servername;
  if (given !== undefined) return given || undefined;
  const host = targetHost(options);
  return isIP(host) ? undefined : host;
}

function targetPort(options: ClientRequestArgs, secure: boolean): number {
  const port = Number(options.port);
  if (Number.isInteger(port) && port > 0) return port;
  return secure ? 443 : 80;
}

function invalidProxy(why: string): UpstreamError {
  return new UpstreamError(502, 'channel/invalid-proxy', `The channel's proxy setting cannot be used: ${why}`, true);
}
