import type { IncomingHttpHeaders, IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import type { Express, Request, Response } from 'express';
import { ApiError } from '../../common/api-error';
import { sendError } from '../../common/all-errors.filter';
import { REQUEST_ID_HEADER, nextRequestId } from '../../common/request-id';
import { AppConfig } from '../../config/app-config';
import { RelayService } from './relay.service';

type RelayRoute = (req: Request, res: Response) => Promise<void>;

const GEMINI_PREFIX = '/v1beta/models/';
/** `models/{model}:generateContent|streamGenerateContent`: the Gemini route's target (RelayController uses it too). */
export const GEMINI_METHOD = /^(.+):(generateContent|streamGenerateContent)$/;
const PLAIN_JSON = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

/**
 * The relay's JSON routes, served straight from Node's HTTP server in front of Express.
 *
 * A relay request needs none of what Express and Nest do per request (route walk, body-parser's
 * content negotiation, guards, the pipe machinery): measured, those were an eighth of the CPU and
 * a third of the garbage of a relayed chat completion. This entry does what they did for these
 * routes — request id, req.app (so req.ip honours `trust proxy`: see common/request-fields),
 * the JSON body with its raw bytes and size limit, errors in the caller's protocol — and calls the
 * same RelayService methods as RelayController. Anything unusual (other methods and paths, other
 * content types, compressed bodies) goes to Express, where the controller serves it as before.
 */
@Injectable()
export class RelayHttpEntry {
  private readonly logger = new Logger('Errors');
  private readonly bodyLimitBytes: number;
  private readonly routes: ReadonlyMap<string, RelayRoute>;

  constructor(
    private readonly relay: RelayService,
    config: AppConfig,
  ) {
    this.bodyLimitBytes = config.env.MAX_REQUEST_BODY_MB * 1024 * 1024;
    const openAi = (endpoint: Parameters<RelayService['relay']>[0]): RelayRoute => (req, res) => this.relay.relay(endpoint, req, res);
    this.routes = new Map<string, RelayRoute>([
      ['/v1/chat/completions', openAi('chat')],
      ['/v1/completions', openAi('completions')],
      ['/v1/embeddings', openAi('embeddings')],
      ['/v1/responses', openAi('responses')],
      ['/v1/images/generations', openAi('images/generations')],
      ['/v1/audio/speech', openAi('audio/speech')],
      ['/v1/moderations', openAi('moderations')],
      ['/v1/rerank', openAi('rerank')],
      ['/v1/messages', (req, res) => this.relay.relayClientFormat('claude', req, res)],
    ]);
  }

  /** Puts this entry in front of `expressApp` on `server`: requests it does not serve go to Express unchanged. */
  install(server: Server, expressApp: Express): void {
    const listeners = server.listeners('request') as RequestListener[];
    if (listeners.length !== 1) throw new Error(`Expected one request listener (Express), found ${listeners.length}`);
    const express = listeners[0];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!this.handle(req, res, expressApp)) express(req, res);
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse, expressApp: Express): boolean {
    if (req.method !== 'POST' || !isPlainJson(req.headers)) return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const route = this.routeFor(query < 0 ? url : url.slice(0, query));
    if (!route) return false;
    // Unlike Express, req and res keep Node's own prototypes: an object re-prototyped with
    // Object.setPrototypeOf (what Express does to give req.ip, res.json, …) made V8 keep every
    // request's objects alive through young-generation GCs (measured: ~3 MB surviving each
    // scavenge, 8–20 ms pauses instead of ~1 ms, all of it promoted and left to full GCs). Code
    // on this path reads req.path/query/ip through common/request-fields, which runs Express's
    // own getters with the settings of `req.app`, and answers through Node's API.
    const request = req as Request;
    const response = res as Response;
    request.app = expressApp;
    request.res = response;
    response.req = request;
    request.requestId = nextRequestId();
    res.setHeader(REQUEST_ID_HEADER, request.requestId);
    void this.serve(route, request, response);
    return true;
  }

  private routeFor(path: string): RelayRoute | undefined {
    const route = this.routes.get(path);
    if (route || !path.startsWith(GEMINI_PREFIX)) return route;
    let target: string;
    try {
      target = decodeURIComponent(path.slice(GEMINI_PREFIX.length));
    } catch {
      return undefined;
    }
    const match = target.includes('/') ? null : GEMINI_METHOD.exec(target);
    if (!match) return undefined;
    return (req, res) => this.relay.relayClientFormat('gemini', req, res, { pathModel: match[1], pathStream: match[2] === 'streamGenerateContent' });
  }

  private async serve(route: RelayRoute, req: Request, res: Response): Promise<void> {
    try {
      const raw = await readBody(req, this.bodyLimitBytes);
      (req as Request & { rawBody?: Buffer }).rawBody = raw;
      req.body = parseJsonBody(raw);
      await route(req, res);
    } catch (error) {
      sendError(error, req, res, this.logger);
    }
  }
}

/** `application/json` (UTF-8) and not compressed: what this entry parses; the rest is left to body-parser. */
function isPlainJson(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  if (type === undefined || !PLAIN_JSON.test(type)) return false;
  const encoding = headers['content-encoding'];
  return encoding === undefined || encoding.toLowerCase() === 'identity';
}

function tooLarge(limitBytes: number): ApiError {
  return new ApiError(413, 'request/too-large', `Request body is too large (limit ${Math.round(limitBytes / 1024 / 1024)} MiB)`);
}

/** The request's bytes, refused past `limitBytes` (by Content-Length up front, else while reading). */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) {
    req.resume();
    return Promise.reject(tooLarge(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        req.resume();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onFailure = (): void => {
      cleanup();
      reject(new ApiError(400, 'request/invalid-body', 'Request body could not be read'));
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onFailure);
      req.off('aborted', onFailure);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onFailure);
    req.on('aborted', onFailure);
  });
}

/** body-parser's strict JSON: empty is `{}`, otherwise an object or an array (a UTF-8 BOM is skipped). */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  const text = raw.toString('utf8', raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0);
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') throw invalidJson();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidJson();
  }
}

function invalidJson(): ApiError {
  return new ApiError(400, 'request/invalid-json', 'Request body is not valid JSON');
}
