import type { VertexServiceAccount } from '@your-api/provider-adapters';
import type { Dispatcher } from 'undici';
import { VertexTokenCache, type AccessToken } from './vertex-auth';

const account = (clientEmail = 'relay@p.iam.gserviceaccount.com'): VertexServiceAccount => ({
  projectId: 'p',
  clientEmail,
  privateKey: '-----BEGIN PRIVATE KEY-----\nMIIfake\n-----END PRIVATE KEY-----\n',
  privateKeyId: 'kid',
  tokenUri: 'https://oauth2.example/token',
  region: '',
});
const dispatcher = {} as Dispatcher;

/** A token endpoint double: counts exchanges, answers in order, and can be held open. */
function endpoint(lifetimeSeconds = 3600) {
  const calls: string[] = [];
  let release: (() => void) | null = null;
  let hold = false;
  let fail = false;
  const fetchToken = async (owner: VertexServiceAccount): Promise<AccessToken> => {
    calls.push(owner.clientEmail);
    if (hold) await new Promise<void>((resolve) => (release = resolve));
    if (fail) throw new Error('token endpoint down');
    return { accessToken: `token-${calls.length}`, expiresInSeconds: lifetimeSeconds };
  };
  return {
    calls,
    fetchToken,
    holdNext: () => (hold = true),
    release: () => {
      hold = false;
      release?.();
    },
    failNext: (value: boolean) => (fail = value),
  };
}

describe('VertexTokenCache', () => {
  it('reuses a token until five minutes before it expires, then exchanges again', async () => {
    let now = 1_000_000;
    const server = endpoint(3600);
    const cache = new VertexTokenCache(server.fetchToken, () => now);
    expect(await cache.accessToken(account(), dispatcher)).toBe('token-1');
    now += 54 * 60_000;
    expect(await cache.accessToken(account(), dispatcher)).toBe('token-1');
    now += 2 * 60_000; // 56 minutes: inside the 5-minute margin
    expect(await cache.accessToken(account(), dispatcher)).toBe('token-2');
    expect(server.calls).toHaveLength(2);
  });

  it('uses a short-lived token for half its life', async () => {
    let now = 0;
    const server = endpoint(120);
    const cache = new VertexTokenCache(server.fetchToken, () => now);
    await cache.accessToken(account(), dispatcher);
    now = 59_000;
    expect(await cache.accessToken(account(), dispatcher)).toBe('token-1');
    now = 61_000;
    expect(await cache.accessToken(account(), dispatcher)).toBe('token-2');
  });

  it('shares one exchange between concurrent requests', async () => {
    const server = endpoint();
    const cache = new VertexTokenCache(server.fetchToken);
    server.holdNext();
    const first = cache.accessToken(account(), dispatcher);
    const second = cache.accessToken(account(), dispatcher);
    await new Promise((resolve) => setImmediate(resolve));
    server.release();
    expect(await Promise.all([first, second])).toEqual(['token-1', 'token-1']);
    expect(server.calls).toHaveLength(1);
  });

  it('keeps one token per service account', async () => {
    const server = endpoint();
    const cache = new VertexTokenCache(server.fetchToken);
    expect(await cache.accessToken(account('a@p'), dispatcher)).toBe('token-1');
    expect(await cache.accessToken(account('b@p'), dispatcher)).toBe('token-2');
    expect(await cache.accessToken(account('a@p'), dispatcher)).toBe('token-1');
  });

  it('does not cache a failed exchange', async () => {
    const server = endpoint();
    const cache = new VertexTokenCache(server.fetchToken);
    server.failNext(true);
    await expect(cache.accessToken(account(), dispatcher)).rejects.toThrow('token endpoint down');
    server.failNext(false);
    expect(await cache.accessToken(account(), dispatcher)).toBe('token-2');
  });
});
