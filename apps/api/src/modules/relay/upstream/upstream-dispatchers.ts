import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { UpstreamError } from '@your-api/providers-core';
import { socksDispatcher } from 'fetch-socks';
import { Agent, Dispatcher, ProxyAgent } from 'undici';
import { AppConfig } from '../../../config/app-config';

/**
 * Keep-alive connection pools towards upstreams: one shared pool for direct calls and one per
 * channel proxy URL (http, https, socks5, socks5h), created on first use and reused.
 */
@Injectable()
export class UpstreamDispatchers implements OnModuleDestroy {
  private readonly direct: Agent;
  private readonly byProxy = new Map<string, Dispatcher>();
  private readonly connect: { rejectUnauthorized: boolean };

  constructor(config: AppConfig) {
    this.connect = { rejectUnauthorized: !config.env.TLS_INSECURE_SKIP_VERIFY };
    this.direct = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      // No per-origin cap: every stream holds its own connection for minutes, and a cap would queue
      // the 513th stream to a busy channel behind the others instead of opening it.
      connections: null,
      pipelining: 1,
      connect: this.connect,
    });
  }

  /**
   * The dispatcher for a channel's proxy setting ('' = direct). An unusable proxy URL throws a
   * retryable UpstreamError (another channel may work) whose message never repeats the URL, since
   * it may carry proxy credentials.
   */
  forProxy(proxyUrl: string | undefined | null): Dispatcher {
    const key = (proxyUrl ?? '').trim();
    if (!key) return this.direct;
    const existing = this.byProxy.get(key);
    if (existing) return existing;
    const dispatcher = this.create(key);
    this.byProxy.set(key, dispatcher);
    return dispatcher;
  }

  private create(proxyUrl: string): Dispatcher {
    try {
      return this.build(proxyUrl);
    } catch (error) {
      throw error instanceof UpstreamError ? error : invalidProxy('the proxy client could not be set up with it');
    }
  }

  private build(proxyUrl: string): Dispatcher {
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
        return new ProxyAgent({ uri: proxyUrl, keepAliveTimeout: 30_000, requestTls: this.connect });
      case 'socks5:':
      case 'socks5h:': {
        if (!url.port) throw invalidProxy('a socks5 proxy URL needs a port');
        return socksDispatcher(
          {
            type: 5,
            host: url.hostname,
            port: Number(url.port),
            userId: url.username ? decodeURIComponent(url.username) : undefined,
            password: url.password ? decodeURIComponent(url.password) : undefined,
          },
          { connect: this.connect },
        );
      }
      default:
        throw invalidProxy(`the scheme "${url.protocol.replace(':', '').slice(0, 20)}" is not http, https, socks5 or socks5h`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([this.direct.close(), ...[...this.byProxy.values()].map((d) => d.close())]);
  }
}

function invalidProxy(why: string): UpstreamError {
  return new UpstreamError(502, 'channel/invalid-proxy', `The channel's proxy setting cannot be used: ${why}`, true);
}
