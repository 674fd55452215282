import { ChannelType } from '@your-api/contracts';
import { UpstreamError } from '@your-api/providers-core';
import { proxyConnectionFactory, realtimeUpstreamTarget, servesRealtime, toWebSocketUrl } from './realtime-upstream';

const opts = { azureDefaultApiVersion: '2024-10-01-preview', openAiBeta: 'realtime=v1' };

describe('realtimeUpstreamTarget', () => {
  it('builds the OpenAI URL with the model and bearer key', () => {
    expect(realtimeUpstreamTarget({ type: ChannelType.OpenAI, base_url: 'https://api.example.com/', other: null }, 'sk-chan', 'gpt-4o-realtime-preview', opts)).toEqual({
      url: 'wss://api.example.com/v1/realtime?model=gpt-4o-realtime-preview',
      headers: { authorization: 'Bearer sk-chan', 'openai-beta': 'realtime=v1' },
    });
  });

  it('uses the default base URL, keeps a /v1 base, plain http becomes ws, and sends the organization', () => {
    expect(realtimeUpstreamTarget({ type: ChannelType.OpenAI, base_url: '', other: null }, 'k', 'm', opts).url).toBe('wss://api.openai.com/v1/realtime?model=m');
    expect(realtimeUpstreamTarget({ type: ChannelType.OpenAI, base_url: 'http://127.0.0.1:8080/v1', other: null }, 'k', 'a b', opts).url).toBe(
      'ws://127.0.0.1:8080/v1/realtime?model=a+b',
    );
    const withOrg = realtimeUpstreamTarget({ type: ChannelType.OpenAI, base_url: null, other: null, open_ai_organization: 'org-1' }, 'k', 'm', opts);
    expect(withOrg.headers['openai-organization']).toBe('org-1');
  });

  it('builds the Azure URL with api-version, a dotless deployment and the api-key header', () => {
    const target = realtimeUpstreamTarget({ type: ChannelType.Azure, base_url: 'https://res.openai.azure.com', other: '' }, 'az-key', 'gpt-4.1-realtime', opts);
    expect(target.url).toBe('wss://res.openai.azure.com/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-41-realtime');
    expect(target.headers).toEqual({ 'api-key': 'az-key', 'openai-beta': 'realtime=v1' });
    const own = realtimeUpstreamTarget({ type: ChannelType.Azure, base_url: 'https://res.openai.azure.com', other: '2025-04-01-preview' }, 'k', 'm', opts);
    expect(own.url).toContain('api-version=2025-04-01-preview');
  });
});

describe('servesRealtime / toWebSocketUrl', () => {
  it('accepts OpenAI and Azure channels only', () => {
    expect(servesRealtime(ChannelType.OpenAI)).toBe(true);
    expect(servesRealtime(ChannelType.Azure)).toBe(true);
    expect(servesRealtime(ChannelType.Anthropic)).toBe(false);
    expect(servesRealtime(ChannelType.Gemini)).toBe(false);
  });

  it('maps http(s) to ws(s)', () => {
    expect(toWebSocketUrl('HTTPS://x.test/a')).toBe('wss://x.test/a');
    expect(toWebSocketUrl('http://x.test')).toBe('ws://x.test');
    expect(toWebSocketUrl('wss://x.test')).toBe('wss://x.test');
  });
});

describe('proxyConnectionFactory', () => {
  const tls = { rejectUnauthorized: true };

  it('accepts http, https and socks5 proxies', () => {
    for (const url of ['http://127.0.0.1:3128', 'https://user:pw@proxy.test', 'socks5://127.0.0.1:1080', 'socks5h://127.0.0.1:1080']) {
      expect(typeof proxyConnectionFactory(url, tls, true)).toBe('function');
    }
  });

  it.each([
    ['ftp://secret-user:secret-pass@proxy-host.invalid:21', /not http, https, socks5 or socks5h/],
    ['socks5://secret-user:secret-pass@proxy-host.invalid', /needs a port/],
    ['http://secret-user:secret-pass@[proxy-host.invalid', /not a valid URL/],
  ])('refuses %s with a retryable error that does not repeat the URL', (url, why) => {
    let thrown: unknown;
    try {
      proxyConnectionFactory(url, tls, false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpstreamError);
    const error = thrown as UpstreamError;
    expect(error.message).toMatch(why);
    expect(error.message).not.toMatch(/secret|proxy-host/);
    expect(error.retryable).toBe(true);
  });
});
