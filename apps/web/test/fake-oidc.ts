import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOidc {
  baseUrl: string;
  close: () => Promise<void>;
}

/**
 * A fake OpenID provider for browser tests: discovery document, an authorize page that sends the
 * browser straight back with a code, a token endpoint and a userinfo endpoint answering `userinfo`.
 */
export async function startFakeOidc(userinfo: Record<string, string>): Promise<FakeOidc> {
  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (url.pathname) {
      case '/.well-known/openid-configuration':
        return json({ issuer: baseUrl, authorization_endpoint: `${baseUrl}/authorize`, token_endpoint: `${baseUrl}/token`, userinfo_endpoint: `${baseUrl}/userinfo` });
      case '/authorize': {
        const back = new URL(url.searchParams.get('redirect_uri') ?? '');
        back.searchParams.set('code', 'fake-code');
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      case '/token':
        req.resume();
        return json({ access_token: 'fake-access-token', token_type: 'bearer' });
      case '/userinfo':
        return json(userinfo);
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { baseUrl, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
