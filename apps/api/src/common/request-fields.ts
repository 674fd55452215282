import type { ServerResponse } from 'node:http';
import { request as expressRequestPrototype, type Request } from 'express';

/**
 * req.path, req.query and req.ip, exactly as Express computes them, for requests that may be plain
 * Node.js requests. RelayHttpEntry serves the relay's hot routes without giving req and res
 * Express's prototypes (re-prototyping them made every request's objects outlive young-generation
 * GCs: see RelayHttpEntry); it sets `req.app`, which Express's getters read their settings from
 * ('trust proxy', 'query parser'). Code reachable from both paths reads these fields here and
 * answers with `writeJson`, never with res.status()/res.json().
 */
type Getter<T> = (this: Request) => T;

function expressGetter<T>(name: 'path' | 'query' | 'ip'): Getter<T> {
  const getter = Object.getOwnPropertyDescriptor(expressRequestPrototype, name)?.get;
  if (!getter) throw new Error(`express: request.${name} is not a getter in this version`);
  return getter as Getter<T>;
}

const pathGetter = expressGetter<string>('path');
const queryGetter = expressGetter<Request['query']>('query');
const ipGetter = expressGetter<string | undefined>('ip');

/** Whether Express's request prototype is in req's chain (a request Express routed). */
function isExpressRequest(req: Request): boolean {
  return 'path' in req;
}

export function requestPath(req: Request): string {
  return isExpressRequest(req) ? req.path : pathGetter.call(req);
}

export function requestQuery(req: Request): Request['query'] {
  return isExpressRequest(req) ? req.query : queryGetter.call(req);
}

/** The client's address, honouring TRUSTED_PROXIES ('trust proxy') as Express does. */
export function requestIp(req: Request): string | undefined {
  return isExpressRequest(req) ? req.ip : ipGetter.call(req);
}

/** A JSON answer with a status, through Node's API (valid for Express and plain responses alike). */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  writeJsonText(res, status, JSON.stringify(body));
}

/** writeJson for a body that is JSON text already (an upstream's reply forwarded as it came). */
export function writeJsonText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
