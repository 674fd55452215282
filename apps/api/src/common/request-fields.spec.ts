import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import { requestIp, requestPath, requestQuery, writeJson } from './request-fields';

/**
 * The helpers must read a plain Node.js request (RelayHttpEntry's, with only `req.app` set) exactly
 * as Express reads the same request: one server answers /plain/* without Express, the other is
 * Express itself; the same requests go to both.
 */
describe('request-fields', () => {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.post('/{*rest}', (req, res) => {
    res.json({ path: req.path, query: req.query, ip: req.ip, helpers: { path: requestPath(req), query: requestQuery(req), ip: requestIp(req) } });
  });
  const fields = (req: Request) => ({ path: requestPath(req), query: requestQuery(req), ip: requestIp(req) });
  let plain: Server;
  let viaExpress: Server;

  const listen = (server: Server) => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

  beforeAll(() => {
    plain = createServer((req: IncomingMessage, res: ServerResponse) => {
      const request = req as Request;
      request.app = app;
      // Still Node's own prototype: nothing of Express's request API is there.
      expect(Object.getPrototypeOf(req)).toBe(IncomingMessage.prototype);
      expect('path' in req).toBe(false);
      writeJson(res, 201, fields(request));
    });
    viaExpress = createServer(app);
  });

  afterAll(async () => {
    await new Promise((resolve) => plain.close(resolve));
    await new Promise((resolve) => viaExpress.close(resolve));
  });

  it.each([
    ['/v1beta/models/x:generateContent?key=abc&alt=sse', {}],
    ['/v1/chat/completions', { 'x-forwarded-for': '203.0.113.7' }],
    ['/v1/chat/completions?a[b]=1&a[c]=2', { 'x-forwarded-for': '198.51.100.1, 127.0.0.1' }],
  ])('%s reads as Express reads it (%j)', async (url, headers) => {
    const plainUrl = await listen(plain);
    const expressUrl = await listen(viaExpress);
    const fromPlain = await fetch(`${plainUrl}${url}`, { method: 'POST', headers });
    expect(fromPlain.status).toBe(201);
    expect(fromPlain.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const mine = (await fromPlain.json()) as Record<string, unknown>;
    const theirs = (await (await fetch(`${expressUrl}${url}`, { method: 'POST', headers })).json()) as Record<string, unknown>;
    expect(mine).toEqual({ path: theirs.path, query: theirs.query, ip: theirs.ip });
    // The helpers on an Express request are Express's own fields.
    expect(theirs.helpers).toEqual({ path: theirs.path, query: theirs.query, ip: theirs.ip });
    plain.close();
    viaExpress.close();
  });

  it('trusts X-Forwarded-For only from trusted proxies', async () => {
    const url = await listen(plain);
    const forwarded = (await (await fetch(`${url}/v1/x`, { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.7' } })).json()) as { ip: string };
    expect(forwarded.ip).toBe('203.0.113.7');
    app.set('trust proxy', false);
    const direct = (await (await fetch(`${url}/v1/x`, { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.7' } })).json()) as { ip: string };
    expect(direct.ip).toBe('127.0.0.1');
    app.set('trust proxy', 'loopback');
    plain.close();
  });
});
