import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { audioCompletionRatio, audioRatio, preConsumeQuota, priceQuota } from '@your-api/billing-math';
import { LogType } from '@your-api/contracts';
import { readOpenAiError } from '@your-api/provider-adapters';
import { isRetryableStatus, UpstreamError } from '@your-api/providers-core';
import type { Express, Request } from 'express';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type ClientOptions } from 'ws';
import { ApiError } from '../../../common/api-error';
import { AppConfig } from '../../../config/app-config';
import { BillingService, Payer, Reservation } from '../../billing/billing.service';
import { DataService } from '../../data/data.service';
import { LogsService } from '../../logs/logs.service';
import { OptionsService } from '../../options/options.service';
import { RateLimitedError, RateLimitService } from '../../rate-limit/rate-limit.service';
import { ChannelHealthService } from '../channel-health.service';
import { redactSecrets } from '../redact-secrets';
import { RelayAuthService, RelayCaller } from '../relay-auth.service';
import { pickChannel } from '../routing/channel-picker';
import { mapStatusCode } from '../routing/channel-settings';
import { ModelMappingError, resolveModelMapping } from '../routing/model-mapping';
import { RouteCandidate, RoutingIndexService } from '../routing/routing-index.service';
import { toUpstreamError } from '../upstream/openai-upstream';
import { RealtimeBridge } from './realtime-bridge';
import { refuseUpgrade, subprotocolKey } from './realtime-handshake';
import { proxyConnectionFactory, realtimeUpstreamTarget, servesRealtime } from './realtime-upstream';
import { readResponseDoneUsage, RealtimeRatios, realtimeResponseQuota, RealtimeUsage } from './realtime-usage';

export const REALTIME_PATH = '/v1/realtime';
/** Largest upstream error body read during a refused handshake. */
const MAX_ERROR_BODY = 64 * 1024;
/** Handshake time allowed to the upstream when RELAY_TIMEOUT is 0 (no limit for HTTP). */
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 60_000;
/** Time the peers of open sessions get to answer a close at shutdown before they are cut. */
const SHUTDOWN_CLOSE_MS = 2_000;

interface EarlyFrame {
  data: Buffer;
  isBinary: boolean;
}

/** An upstream connection that is open, holding its frames until the client side exists. */
interface OpenedUpstream {
  socket: WebSocket;
  /** Stops holding frames and returns those held so far. */
  takeEarlyFrames(): EarlyFrame[];
}

/** The channel and key a session was opened on. */
interface SessionRoute {
  candidate: RouteCandidate;
  keyIndex: number;
  upstreamModel: string;
}

/** One open realtime session: who pays, at which prices, and its billing so far. */
interface Session {
  caller: RelayCaller;
  model: string;
  route: SessionRoute;
  ratios: RealtimeRatios;
  payer: Payer;
  /** Taken at admission and held while the session is open; pays a response the wallet cannot. */
  hold: Reservation;
  startedAt: number;
  /** Responses are billed one after another, in the order the upstream finished them. */
  billing: Promise<void>;
  /** The payer could not cover a response: the session was ended and bills nothing more. */
  exhausted: boolean;
  bridge: RealtimeBridge | null;
  /** Resolves when both sides are closed and the session's billing is done. */
  ended: Promise<void>;
  markEnded(): void;
}

/**
 * `GET /v1/realtime?model=…` as a WebSocket proxy to an OpenAI Realtime upstream (OpenAI or Azure
 * channels). The key, model and routing are checked, a small hold is reserved and the upstream
 * connected before the client's handshake is answered, so every refusal is a plain HTTP error.
 * Then frames flow unchanged both ways, and each upstream `response.done` is billed at once from
 * its usage with New API's audio formula and written to the consume log.
 */
@Injectable()
export class RealtimeProxyService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RealtimeProxyService.name);
  private server: Server | null = null;
  private expressApp: Express | null = null;
  private wss: WebSocketServer | null = null;
  private readonly sessions = new Set<Session>();
  /** Handshakes and session endings still running, so shutdown waits for every debit and refund. */
  private readonly pending = new Set<Promise<void>>();
  private closing = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: RelayAuthService,
    private readonly routing: RoutingIndexService,
    private readonly billing: BillingService,
    private readonly options: OptionsService,
    private readonly logs: LogsService,
    private readonly data: DataService,
    private readonly health: ChannelHealthService,
    private readonly config: AppConfig,
    private readonly rateLimits: RateLimitService,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    this.server = adapter.getHttpServer() as Server;
    this.expressApp = adapter.getInstance<Express>();
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.maxPayload(),
      handleProtocols: (protocols) => (protocols.has('realtime') ? 'realtime' : false),
    });
    this.server.on('upgrade', this.onUpgrade);
  }

  /** First shutdown phase: open sessions are closed and billed before the ledger and logs flush. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    this.server?.off('upgrade', this.onUpgrade);
    for (const session of this.sessions) session.bridge?.shutdown(1001, 'server shutting down', SHUTDOWN_CLOSE_MS);
    await Promise.allSettled([...this.sessions].map((session) => session.ended));
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    this.wss?.close();
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A socket error before the handshake ends must not crash the process; the socket just closes.
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '/').split('?')[0];
    if (path !== REALTIME_PATH) {
      refuseUpgrade(socket, 404, 'relay/unknown-route', 'Not found: no WebSocket route at this path');
      return;
    }
    this.track(
      this.accept(req, socket, head).catch((error: unknown) => {
        const { status, code, message } = describeError(error);
        if (status >= 500) {
          const known = error instanceof ApiError || error instanceof UpstreamError;
          this.logger.error(`realtime handshake failed: ${known ? `${status} ${code}: ${message}` : error instanceof Error ? error.stack : String(error)}`);
        }
        refuseUpgrade(socket, status, code, message, error instanceof RateLimitedError ? { 'Retry-After': String(error.retryAfter) } : {});
      }),
    );
  };

  /** Admission, routing and the upstream connection; then the client's handshake is completed. */
  private async accept(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const startedAt = Date.now();
    if (this.closing) throw new ApiError(503, 'server/shutting-down', 'The server is shutting down; reconnect in a moment');
    let clientGone = false;
    socket.once('close', () => (clientGone = true));

    const view = this.requestView(req);
    const caller = await this.auth.authenticate(view);
    // The per-user model request limit, as on every /v1 route; an accepted upgrade counts as a success.
    const countSuccess = await this.rateLimits.admitModelSession(caller);
    const model = typeof view.query.model === 'string' ? view.query.model.trim() : '';
    if (!model) throw ApiError.badRequest('relay/model-required', 'The model query parameter is required: /v1/realtime?model=…');
    this.auth.checkModel(caller, model);
    if (!caller.pinnedChannelId && this.routing.candidates(caller.group, model).length === 0) {
      throw ApiError.notFound('relay/model-not-found', `The model ${model} does not exist or is not available in group "${caller.group}"`);
    }
    const ratios = this.ratiosOf(model, caller);
    const payer: Payer = { tokenId: caller.token.id, tokenUnlimited: Boolean(caller.token.unlimited_quota), userId: caller.user.id };
    const hold = await this.billing.reserve(payer, this.holdAmount(ratios));

    let connected: { upstream: OpenedUpstream; route: SessionRoute };
    try {
      connected = await this.connectWithRetries(req, caller, model, () => clientGone);
    } catch (error) {
      await this.billing.refund(hold);
      this.recordError(caller, model, error, startedAt);
      throw error instanceof UpstreamError ? toClientError(error) : error;
    }
    const { upstream, route } = connected;
    if (clientGone || this.closing) {
      upstream.socket.close(1001, 'client left');
      await this.billing.refund(hold);
      return;
    }
    let markEnded = () => {};
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    const session: Session = { caller, model, route, ratios, payer, hold, startedAt, billing: Promise.resolve(), exhausted: false, bridge: null, ended, markEnded };
    // ws answers a valid handshake synchronously, and never calls back for an invalid one.
    this.wss!.handleUpgrade(req, socket, head, (client) => {
      countSuccess?.();
      this.sessions.add(session);
      session.bridge = new RealtimeBridge(
        client,
        upstream.socket,
        { onUpstreamText: (frame) => this.onUpstreamText(session, frame), onEnd: () => this.endSession(session) },
        upstream.takeEarlyFrames(),
      );
    });
    if (!session.bridge) {
      upstream.takeEarlyFrames();
      upstream.socket.close(1000, 'client handshake failed');
      await this.billing.refund(hold);
    }
  }

  /** Express's own request object over the upgrade request, so key, path, query and IP read as for HTTP. */
  private requestView(req: IncomingMessage): Request {
    const headers = { ...req.headers };
    if (!headers.authorization) {
      const key = subprotocolKey(req.headers['sec-websocket-protocol']);
      if (key) headers.authorization = `Bearer ${key}`;
    }
    return Object.create(this.expressApp!.request, {
      headers: { value: headers, enumerable: true },
      url: { value: req.url ?? '/', writable: true },
      method: { value: req.method },
      socket: { value: req.socket },
      connection: { value: req.socket },
    }) as Request;
  }

  private ratiosOf(model: string, caller: RelayCaller): RealtimeRatios {
    const pricing = this.billing.price(model, caller.group, caller.user.group);
    if (!pricing.found) {
      throw ApiError.badRequest('billing/model-price-unset', `Model ${model} has no price configured; an administrator must set its ratio or price`);
    }
    const tables = this.billing.ratioTables();
    return {
      usePrice: pricing.usePrice,
      modelPrice: pricing.modelPrice,
      modelRatio: pricing.modelRatio,
      completionRatio: pricing.completionRatio,
      audioRatio: audioRatio(tables.audioRatio, model),
      audioCompletionRatio: audioCompletionRatio(tables.audioCompletionRatio, model),
      groupRatio: pricing.groupRatio,
      quotaPerUnit: this.billing.quotaPerUnit,
    };
  }

  /** What a session holds while open: New API's pre-consumed amount (PreConsumedQuota tokens). */
  private holdAmount(ratios: RealtimeRatios): number {
    if (ratios.usePrice) return priceQuota({ modelPrice: ratios.modelPrice, groupRatio: ratios.groupRatio, quotaPerUnit: ratios.quotaPerUnit });
    const amount = preConsumeQuota({
      promptTokens: 0,
      maxTokens: 0,
      preConsumedQuotaOption: this.options.getNumber('PreConsumedQuota'),
      modelRatio: ratios.modelRatio,
      groupRatio: ratios.groupRatio,
    });
    // A paid model always needs something left to be opened.
    return amount === 0 && ratios.modelRatio * ratios.groupRatio > 0 ? 1 : amount;
  }

  private async connectWithRetries(
    req: IncomingMessage,
    caller: RelayCaller,
    model: string,
    clientGone: () => boolean,
  ): Promise<{ upstream: OpenedUpstream; route: SessionRoute }> {
    const retryTimes = caller.pinnedChannelId ? 0 : Math.max(0, Math.trunc(this.options.getNumber('RetryTimes')));
    const tried = new Set<number>();
    let lastError: UpstreamError | null = null;
    for (let attempt = 0; attempt <= retryTimes && !clientGone(); attempt++) {
      const candidate = await this.chooseChannel(caller, model, attempt, tried);
      if (!candidate) break;
      tried.add(candidate.id);
      if (!servesRealtime(candidate.channel.type)) {
        lastError = new UpstreamError(400, 'channel/realtime-unsupported', `Channel #${candidate.id} is of a type that does not serve /v1/realtime (only OpenAI and Azure do)`, true);
        continue;
      }
      let upstreamModel: string;
      try {
        upstreamModel = resolveModelMapping(candidate.modelMapping, model);
      } catch (error) {
        if (!(error instanceof ModelMappingError)) throw error;
        lastError = new UpstreamError(500, 'channel/model-mapping-cycle', `Channel #${candidate.id} has a model mapping cycle`, true);
        continue;
      }
      const keyIndex = this.health.pickKey(candidate);
      if (keyIndex < 0) {
        lastError = new UpstreamError(503, 'channel/no-available-key', `Channel #${candidate.id} has no enabled key`, true);
        continue;
      }
      try {
        const upstream = await this.openUpstream(req, candidate, candidate.keys[keyIndex], upstreamModel);
        this.health.recordSuccess(candidate);
        return { upstream, route: { candidate, keyIndex, upstreamModel } };
      } catch (error) {
        const failure = toUpstreamError(error);
        lastError = failure;
        this.health.recordFailure(candidate, keyIndex, failure);
        if (!failure.retryable) throw failure;
        this.logger.warn(`realtime: channel #${candidate.id} failed (${failure.status} ${failure.code}); ${attempt === retryTimes ? 'no retries left' : 'retrying'}`);
      }
    }
    if (clientGone()) throw new UpstreamError(499, 'upstream/aborted', 'The client left before the session opened', false);
    if (lastError) throw lastError;
    throw new ApiError(503, 'relay/no-available-channel', `No channel is available for model ${model} in group "${caller.group}"`);
  }

  private async chooseChannel(caller: RelayCaller, model: string, attempt: number, tried: ReadonlySet<number>): Promise<RouteCandidate | null> {
    if (caller.pinnedChannelId) {
      if (attempt > 0) return null;
      const pinned = await this.routing.pinnedChannel(caller.pinnedChannelId);
      if (!pinned) throw ApiError.notFound('relay/channel-not-found', `Channel #${caller.pinnedChannelId} does not exist or is disabled`);
      return pinned;
    }
    return pickChannel(this.routing.candidates(caller.group, model), attempt, tried);
  }

  /** Opens the upstream WebSocket; a refused handshake becomes an UpstreamError with the provider's message. */
  private openUpstream(req: IncomingMessage, candidate: RouteCandidate, apiKey: string, upstreamModel: string): Promise<OpenedUpstream> {
    const clientBeta = req.headers['openai-beta'];
    const target = realtimeUpstreamTarget(candidate.channel, apiKey, upstreamModel, {
      azureDefaultApiVersion: this.config.env.AZURE_DEFAULT_API_VERSION,
      openAiBeta: typeof clientBeta === 'string' && clientBeta.trim() ? clientBeta.trim() : 'realtime=v1',
    });
    const secure = target.url.startsWith('wss:');
    const tls = { rejectUnauthorized: !this.config.env.TLS_INSECURE_SKIP_VERIFY };
    const proxy = (candidate.setting.proxy ?? '').trim();
    const createConnection = proxy ? proxyConnectionFactory(proxy, tls, secure) : undefined;
    const relayTimeout = this.config.env.RELAY_TIMEOUT;
    return new Promise((resolve, reject) => {
      const upstream = new WebSocket(target.url, {
        headers: target.headers,
        handshakeTimeout: relayTimeout > 0 ? relayTimeout * 1000 : DEFAULT_HANDSHAKE_TIMEOUT_MS,
        maxPayload: this.maxPayload(),
        perMessageDeflate: false,
        rejectUnauthorized: tls.rejectUnauthorized,
        ...(createConnection ? { createConnection: createConnection as unknown as ClientOptions['createConnection'] } : {}),
      });
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        upstream.terminate();
        reject(error);
      };
      // Errors after the session opened are handled by the bridge; this keeps late ones from crashing.
      upstream.on('error', (error) => fail(error));
      upstream.once('open', () => {
        settled = true;
        // Frames can arrive (session.created) before the client's handshake is answered: keep them.
        const early: EarlyFrame[] = [];
        const keep = (data: Buffer, isBinary: boolean) => early.push({ data, isBinary });
        upstream.on('message', keep);
        resolve({
          socket: upstream,
          takeEarlyFrames: () => {
            upstream.off('message', keep);
            return early.splice(0);
          },
        });
      });
      upstream.once('unexpected-response', (request, response) => {
        readLimited(response).then(
          (text) => {
            request.destroy();
            fail(handshakeError(response.statusCode ?? 502, text, candidate.statusCodeMapping));
          },
          () => {
            request.destroy();
            fail(handshakeError(response.statusCode ?? 502, '', candidate.statusCodeMapping));
          },
        );
      });
    });
  }

  private onUpstreamText(session: Session, frame: Buffer): void {
    const usage = readResponseDoneUsage(frame);
    if (!usage) return;
    session.billing = session.billing
      .then(() => this.billResponse(session, usage))
      .catch((error: unknown) => this.logger.error(`realtime settlement failed: ${error instanceof Error ? error.stack : String(error)}`));
  }

  /**
   * Debits one response exactly (a guarded reservation of its cost, settled at once). When the
   * payer cannot cover it, the session's hold pays what it can, the client is told, and the
   * session ends.
   */
  private async billResponse(session: Session, usage: RealtimeUsage): Promise<void> {
    if (session.exhausted) return;
    const quota = realtimeResponseQuota(usage, session.ratios);
    const channelId = session.route.candidate.id;
    let charged: number;
    try {
      const debit = await this.billing.reserve(session.payer, quota);
      charged = await this.billing.settle(debit, quota, channelId);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 403) throw error;
      session.exhausted = true;
      charged = await this.billing.settle(session.hold, quota, channelId);
      session.bridge?.failClient(
        {
          type: 'error',
          event_id: `event_gw_${Date.now().toString(36)}`,
          error: { type: 'insufficient_quota', code: 'insufficient_quota', message: error.message, param: null, event_id: null },
        },
        1008,
        'insufficient quota',
      );
    }
    this.logConsume(session, usage, charged);
  }

  private logConsume(session: Session, usage: RealtimeUsage, charged: number): void {
    const { caller, ratios, route } = session;
    const channelId = route.candidate.id;
    if (this.options.getBool('LogConsumeEnabled')) {
      this.logs.enqueue({
        userId: caller.user.id,
        type: LogType.Consume,
        content: ratios.usePrice
          ? `model price ${ratios.modelPrice}, group ratio ${ratios.groupRatio}`
          : `model ratio ${ratios.modelRatio}, completion ratio ${ratios.completionRatio}, audio ratio ${ratios.audioRatio}, ` +
            `audio completion ratio ${ratios.audioCompletionRatio}, group ratio ${ratios.groupRatio}`,
        username: caller.user.username,
        tokenName: caller.token.name,
        modelName: session.model,
        quota: charged,
        promptTokens: usage.inputTokens,
        completionTokens: usage.outputTokens,
        useTime: Math.max(0, Math.round((Date.now() - session.startedAt) / 1000)),
        isStream: true,
        channelId,
        tokenId: caller.token.id,
        group: caller.group,
        other: {
          model_ratio: ratios.modelRatio,
          group_ratio: ratios.groupRatio,
          completion_ratio: ratios.completionRatio,
          model_price: ratios.usePrice ? ratios.modelPrice : -1,
          audio_ratio: ratios.audioRatio,
          audio_completion_ratio: ratios.audioCompletionRatio,
          text_input: usage.textInputTokens,
          text_output: usage.textOutputTokens,
          audio_input: usage.audioInputTokens,
          audio_output: usage.audioOutputTokens,
          cache_tokens: usage.cachedTokens,
          ws: true,
          is_stream: true,
          is_model_mapped: route.upstreamModel !== session.model,
          upstream_model_name: route.upstreamModel,
          request_path: REALTIME_PATH,
          admin_info: { use_channel: [String(channelId)], multi_key_index: route.keyIndex },
        },
      });
    }
    this.data.recordUsage({
      userId: caller.user.id,
      username: caller.user.username,
      modelName: session.model,
      quota: charged,
      tokens: usage.inputTokens + usage.outputTokens,
    });
  }

  /** Both sides closed: once every response is billed, the unused hold goes back. */
  private endSession(session: Session): void {
    this.sessions.delete(session);
    this.track(session.billing.then(() => this.billing.refund(session.hold)).finally(() => session.markEnded()));
  }

  private recordError(caller: RelayCaller, model: string, error: unknown, startedAt: number): void {
    if (!this.config.env.ERROR_LOG_ENABLED) return;
    const status = error instanceof UpstreamError || error instanceof ApiError ? error.status : 500;
    this.logs.enqueue({
      userId: caller.user.id,
      type: LogType.Error,
      content: redactSecrets(error instanceof Error ? error.message : String(error)),
      username: caller.user.username,
      tokenName: caller.token.name,
      modelName: model,
      useTime: Math.round((Date.now() - startedAt) / 1000),
      isStream: true,
      tokenId: caller.token.id,
      group: caller.group,
      other: { status_code: status, error_code: error instanceof UpstreamError ? error.code : '', request_path: REALTIME_PATH },
    });
  }

  private maxPayload(): number {
    return this.config.env.MAX_REQUEST_BODY_MB * 1024 * 1024;
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.logger.error(`realtime session cleanup failed: ${error instanceof Error ? error.stack : String(error)}`))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}

function describeError(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof ApiError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof UpstreamError) return { status: error.status, code: error.code, message: redactSecrets(error.message) };
  return { status: 500, code: 'internal/error', message: 'Internal server error' };
}

/** An upstream failure as the client sees it; the upstream refusing the channel's key is not the client's 401. */
function toClientError(error: UpstreamError): ApiError {
  if (error.code === 'upstream/error' && (error.status === 401 || error.status === 403)) {
    return new ApiError(502, 'upstream/channel-auth-failed', 'The upstream refused the credentials of the channel serving this model; an administrator must check the channel');
  }
  const status = error.status === 499 ? 499 : error.status >= 400 && error.status <= 599 ? error.status : 502;
  return new ApiError(status, error.code, redactSecrets(error.message));
}

function handshakeError(statusCode: number, text: string, statusCodeMapping: Record<string, string> | null): UpstreamError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the raw text is used below
  }
  const detail = readOpenAiError(parsed);
  const status = mapStatusCode(statusCodeMapping, statusCode);
  const message = detail.message || text.trim().slice(0, 500) || `The upstream refused the WebSocket handshake with HTTP ${statusCode}`;
  return new UpstreamError(status, 'upstream/error', message, isRetryableStatus(status), detail.type, detail.code);
}

async function readLimited(response: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of response) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > MAX_ERROR_BODY) {
      response.destroy();
      break;
    }
  }
  return text;
}
