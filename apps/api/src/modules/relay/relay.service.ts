import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  maxAffordableCompletionTokens,
  preConsumeQuota,
  priceQuota,
  quotaForUsage,
  ResolvedPricing,
  worstCaseQuota,
} from '@your-api/billing-math';
import { LogType } from '@your-api/contracts';
import {
  AWS_EVENT_STREAM_CONTENT_TYPE,
  azureApiVersion,
  azureUpstreamUrl,
  chatAdapterOf,
  chatCompletionFromChunks,
  ChatStreamObserver,
  clientFormatOf,
  DEFAULT_BASE_URLS,
  foldThinkingIntoContent,
  needsInlineImages,
  openAiUpstreamUrl,
  ResponsesStreamReader,
  streamFramingOf,
  parseModelSuffix,
  readOpenAiError,
  scanOpenAiUsage,
  summariseEndpointReply,
  summariseOpenAiResponse,
  ThinkingToContentStream,
  upstreamProtocolOf,
  type ClientFormatName,
  type ModelSuffix,
  type UpstreamProtocol,
} from '@your-api/provider-adapters';
import {
  AwsEventStreamReader,
  ChatStreamConverter,
  ChatUpstreamAdapter,
  formatSseFrame,
  OpenAiChatRequest,
  OpenAiChatResponse,
  ProviderErrorDetail,
  SseEvent,
  SseReader,
  UpstreamContext,
  Usage,
  UpstreamError,
} from '@your-api/providers-core';
import { countTextTokens, createStreamTokenCounter, getEncoding } from '@your-api/tokenizer';
import type { Request, Response } from 'express';
import { FormData } from 'undici';
import { ApiError } from '../../common/api-error';
import { writeJsonText } from '../../common/request-fields';
import type { AuthUser } from '../../common/auth';
import { AppConfig } from '../../config/app-config';
import { BillingService, Payer, Reservation } from '../billing/billing.service';
import { DataService } from '../data/data.service';
import { LogsService } from '../logs/logs.service';
import { OptionsService } from '../options/options.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { ChannelHealthService } from './channel-health.service';
import { MediaFetcher } from './media/media-fetcher.service';
import { redactSecrets } from './redact-secrets';
import { RelayAuthService, RelayCaller } from './relay-auth.service';
import { ClientStreamSink, formatStreamSink, openAiStreamSink } from './client-stream';
import { relayEndpointReply } from './endpoint-reply';
import { Balances, covers, InFlightReservations, PendingReservation } from './pending-reservation';
import { rebuildMultipart } from './multipart-body';
import {
  estimatePromptTokens,
  readClientFormatRequest,
  readMultipartRelayRequest,
  readPlaygroundRequest,
  readRelayRequest,
  RelayRequest,
} from './relay-request';
import type { OpenAiEndpoint } from '@your-api/provider-adapters';
import { pickChannel } from './routing/channel-picker';
import { ModelMappingError, resolveModelMapping } from './routing/model-mapping';
import { RouteCandidate, RoutingIndexService } from './routing/routing-index.service';
import { openUpstream, readBodyText, readUpstreamError, toUpstreamError } from './upstream/openai-upstream';
import { UpstreamAuthorizer } from './upstream/upstream-authorizer';
import { UpstreamDispatchers } from './upstream/upstream-dispatchers';

/** Completion tokens assumed for admission when the client sets no max_tokens (the settle corrects it). */
const DEFAULT_RESERVED_COMPLETION_TOKENS = 4096;

interface Attempt {
  candidate: RouteCandidate;
  keyIndex: number;
  /** The model name sent upstream: after mapping, without a behaviour suffix. */
  upstreamModel: string;
  suffix: ModelSuffix;
}

/** How one attempt talks to its upstream. */
interface UpstreamPlan {
  protocol: UpstreamProtocol;
  /** Converter for non-OpenAI protocols; null when the upstream speaks OpenAI's format. */
  adapter: ChatUpstreamAdapter | null;
  /** The upstream's stream frames go to the client untouched (same protocol on both sides). */
  passthrough: boolean;
  /** Reads the upstream stream as OpenAI chunks for the observer; null when it already is one. */
  streamReader: (() => ChatStreamConverter) | null;
  ctx: UpstreamContext;
  url: string;
  headers: Record<string, string>;
  body: string | Buffer | FormData;
}

/** What one successful relay produced, for billing and the consume log. */
interface RelayOutcome {
  attempt: Attempt;
  usage: Usage | null;
  /** Completion tokens counted locally (stream text delivered), when the upstream gave no usage. */
  localCompletionTokens: number;
  /** A better local prompt count than the request estimate (transcriptions: from the audio length). */
  localPromptTokens?: number | null;
  firstResponseMs: number;
}

/** What one probe of a channel (a channel test) found. */
export interface ChannelProbe {
  ok: boolean;
  /** HTTP status of the upstream's answer, or of the failure. */
  status: number;
  /** '' on success; the reason, without secrets, otherwise. */
  message: string;
  /** The failure, for the channel health rules; null on success. */
  error: UpstreamError | null;
  /** Usage as the upstream reported it, else counted locally (null when the probe failed). */
  usage: Usage | null;
  keyIndex: number;
  upstreamModel: string;
  elapsedMs: number;
}

/**
 * The relay core for OpenAI-shaped requests: admission (token checks, pricing, reservation),
 * channel choice with retries onto other channels, forwarding (streams frame by frame, bodies
 * untouched where possible), then settlement and the consume log behind the response.
 */
@Injectable()
export class RelayService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RelayService.name);
  /** Settlements still running, so shutdown waits for every debit and log row. */
  private readonly pending = new Set<Promise<void>>();
  /** Reservations admitted but not yet committed (see admit). */
  private readonly inFlight = new InFlightReservations();

  constructor(
    private readonly auth: RelayAuthService,
    private readonly routing: RoutingIndexService,
    private readonly billing: BillingService,
    private readonly options: OptionsService,
    private readonly logs: LogsService,
    private readonly data: DataService,
    private readonly dispatchers: UpstreamDispatchers,
    private readonly health: ChannelHealthService,
    private readonly config: AppConfig,
    private readonly media: MediaFetcher,
    private readonly authorizer: UpstreamAuthorizer,
    private readonly rateLimits: RateLimitService,
  ) {}

  onModuleInit(): void {
    // Building an encoder takes about a second: do it just after start-up rather than on the
    // first request, without delaying the moment the server listens.
    setTimeout(() => {
      getEncoding('o200k_base');
      getEncoding('cl100k_base');
    }, 50).unref();
  }

  /** First shutdown phase: settlements finish before the ledger, logs and rollups flush. */
  async onModuleDestroy(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** An OpenAI-format JSON request (/v1/chat/completions, /v1/responses, /v1/images/generations, …). */
  relay(endpoint: OpenAiEndpoint, req: Request, res: Response): Promise<void> {
    return this.relayRequest(req, res, () => readRelayRequest(endpoint, req.body));
  }

  /** An OpenAI-format multipart upload (/v1/images/edits, /v1/audio/transcriptions, /v1/audio/translations). */
  relayMultipart(endpoint: OpenAiEndpoint, req: Request, res: Response): Promise<void> {
    return this.relayRequest(req, res, () => readMultipartRelayRequest(endpoint, req.body, req.headers['content-type']));
  }

  /** A Claude (/v1/messages) or Gemini (/v1beta/models/…) request, served through the OpenAI pivot. */
  relayClientFormat(name: ClientFormatName, req: Request, res: Response, route: { pathModel?: string; pathStream?: boolean } = {}): Promise<void> {
    return this.relayRequest(req, res, () => readClientFormatRequest(name, req.body, route));
  }

  /**
   * The playground (/pg/chat/completions): a chat request of a logged-in user, without an API key,
   * through the same routing, retries, billing and logs; the user's wallet pays alone.
   */
  relayPlayground(user: AuthUser, req: Request, res: Response): Promise<void> {
    const { request, group } = readPlaygroundRequest(req.body);
    return this.relayRequest(req, res, () => request, () => this.auth.playgroundCaller(user, group));
  }

  private async relayRequest(
    req: Request,
    res: Response,
    read: () => RelayRequest | Promise<RelayRequest>,
    authenticate: () => RelayCaller | Promise<RelayCaller> = () => this.auth.authenticate(req),
  ): Promise<void> {
    const startedAt = Date.now();
    const caller = await authenticate();
    await this.rateLimits.admitModelRequest(caller, res);
    const request = await read();
    this.auth.checkModel(caller, request.model);
    if (!caller.pinnedChannelId && this.routing.candidates(caller.group, request.model).length === 0) {
      throw ApiError.notFound(
        'relay/model-not-found',
        `The model ${request.model} does not exist or is not available in group "${caller.group}"`,
      );
    }
    let pricing = this.billing.price(request.model, caller.group, caller.user.group);
    // A behaviour suffix (-high, -thinking) without its own price is priced as the base model.
    if (!pricing.found) pricing = this.billing.price(parseModelSuffix(request.model).baseModel, caller.group, caller.user.group);
    if (!pricing.found) {
      throw ApiError.badRequest(
        'billing/model-price-unset',
        `Model ${request.model} has no price configured; an administrator must set its ratio or price`,
      );
    }
    // GET_MEDIA_TOKEN_NOT_STREAM off: non-stream requests count images flat, as New API does.
    const measureImages = this.config.env.GET_MEDIA_TOKEN && (request.stream || this.config.env.GET_MEDIA_TOKEN_NOT_STREAM);
    const promptTokens = estimatePromptTokens(request, measureImages);
    const payer: Payer = { tokenId: caller.token.id, tokenUnlimited: Boolean(caller.token.unlimited_quota), userId: caller.user.id };
    const reservation = await this.admit(request, pricing, promptTokens, payer);

    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    // A reservation still committing that is refused after all (another request of the same payer
    // took the balance first) cancels the upstream request at once; nothing has reached the client.
    reservation.whenRefused(() => abort.abort());
    let outcome: RelayOutcome;
    try {
      outcome = await this.forwardWithRetries(request, caller, req, res, abort.signal, startedAt, promptTokens, reservation);
    } catch (error) {
      // Refused: that is the answer (as if refused before forwarding), and there is nothing to give back.
      const held = await reservation.abandon();
      if (held) await this.billing.refund(held).catch((e: unknown) => this.logger.error(`refund failed: ${String(e)}`));
      this.recordError(caller, request, error, startedAt);
      throw error instanceof UpstreamError ? this.toClientError(error) : error;
    }
    this.track(this.finish(caller, request, pricing, promptTokens, await reservation.start(), outcome, startedAt));
  }

  /**
   * Reserves the request's cost. A limited token is reserved its worst case, and the upstream's
   * max_tokens is capped to what the token can pay, so it can never be overdrawn.
   *
   * The balances are read first. When they cover the reservation, it is committed while the
   * request travels upstream (the client sees nothing until it has: forwardOnce waits for it);
   * otherwise it is awaited here, so a payer who cannot pay is refused before anything is sent.
   */
  private async admit(request: RelayRequest, pricing: ResolvedPricing, promptTokens: number, payer: Payer): Promise<PendingReservation> {
    const quotaPerUnit = this.billing.quotaPerUnit;
    if (pricing.usePrice) {
      const amount = priceQuota({ modelPrice: pricing.modelPrice, groupRatio: pricing.groupRatio, quotaPerUnit, otherRatios: request.otherRatios });
      return this.reserveAlongside(payer, amount);
    }
    const ratios = { modelRatio: pricing.modelRatio, completionRatio: pricing.completionRatio, groupRatio: pricing.groupRatio };
    // Only endpoints with an output limit can be capped; the others are reserved their estimate.
    const cappable = request.endpoint === 'chat' || request.endpoint === 'completions' || request.endpoint === 'responses';
    const capLimitedTokens = !payer.tokenUnlimited && this.options.getBool('LimitedTokenCapEnabled') && cappable;
    if (!capLimitedTokens) {
      const amount = preConsumeQuota({
        promptTokens,
        maxTokens: request.maxTokens ?? 0,
        preConsumedQuotaOption: this.options.getNumber('PreConsumedQuota'),
        ...ratios,
      });
      return this.reserveAlongside(payer, amount);
    }
    const desired = request.maxTokens ?? DEFAULT_RESERVED_COMPLETION_TOKENS;
    // Fitted to the balances less what this process's admitted requests are about to reserve, so
    // covered by them: committed alongside the upstream request. (A race with another process is
    // settled by the guarded UPDATE, which refuses and cancels the upstream call.)
    const balances = this.inFlight.available(payer, await this.billing.balances(payer));
    const maxTokens = maxAffordableCompletionTokens(Math.min(balances.token, balances.user), promptTokens, ratios, desired);
    if (maxTokens < 0 || (maxTokens === 0 && desired > 0)) {
      throw ApiError.forbidden(
        'billing/insufficient-token-quota',
        'This API key does not have enough quota left for this request; raise its quota or shorten the prompt',
      );
    }
    if (maxTokens < desired) {
      request.body[request.maxTokensField] = maxTokens;
      request.bodyChanged = true;
    }
    const amount = worstCaseQuota({ ...ratios, promptTokens, maxTokens });
    return this.reserveAlongside(payer, amount, balances);
  }

  /**
   * The reservation: committed now unless the balances, less what is in flight, cover it (see
   * admit). `available`: those balances when the caller has just read them.
   */
  private async reserveAlongside(payer: Payer, amount: number, available?: Balances): Promise<PendingReservation> {
    if (amount <= 0) return PendingReservation.deferred(() => this.billing.reserve(payer, amount));
    if (!covers(payer, available ?? this.inFlight.available(payer, await this.billing.balances(payer)), amount)) {
      return PendingReservation.committed(await this.billing.reserve(payer, amount));
    }
    return this.inFlight.defer(payer, amount, () => this.billing.reserve(payer, amount));
  }

  private async forwardWithRetries(
    request: RelayRequest,
    caller: RelayCaller,
    req: Request,
    res: Response,
    signal: AbortSignal,
    startedAt: number,
    promptTokens: number,
    reservation: PendingReservation,
  ): Promise<RelayOutcome> {
    const retryTimes = caller.pinnedChannelId ? 0 : Math.max(0, Math.trunc(this.options.getNumber('RetryTimes')));
    const tried = new Set<number>();
    let lastError: UpstreamError | null = null;
    for (let attempt = 0; attempt <= retryTimes; attempt++) {
      const candidate = await this.chooseChannel(request, caller, attempt, tried);
      if (!candidate) break;
      tried.add(candidate.id);
      let upstreamModel: string;
      try {
        upstreamModel = resolveModelMapping(candidate.modelMapping, request.model);
      } catch (error) {
        if (error instanceof ModelMappingError) {
          lastError = new UpstreamError(500, 'channel/model-mapping-cycle', `Channel #${candidate.id} has a model mapping cycle`, true);
          continue;
        }
        throw error;
      }
      const keyIndex = this.health.pickKey(candidate);
      if (keyIndex < 0) {
        lastError = new UpstreamError(503, 'channel/no-available-key', `Channel #${candidate.id} has no enabled key`, true);
        continue;
      }
      const suffix = parseModelSuffix(upstreamModel);
      const current: Attempt = { candidate, keyIndex, upstreamModel: suffix.baseModel, suffix };
      const isLast = attempt === retryTimes;
      try {
        const outcome = await this.forwardOnce(request, current, req, res, signal, startedAt, isLast, promptTokens, reservation);
        this.health.recordSuccess(candidate);
        return outcome;
      } catch (error) {
        // The caller's own mistakes found while forwarding (e.g. an image that cannot be downloaded) are not the channel's.
        if (error instanceof ApiError) throw error;
        const failure = toUpstreamError(error);
        lastError = failure;
        this.health.recordFailure(current.candidate, current.keyIndex, failure);
        if (!failure.retryable || res.headersSent || signal.aborted) throw failure;
        this.logger.warn(`channel #${candidate.id} failed (${failure.status} ${failure.code}); ${isLast ? 'no retries left' : 'retrying'}`);
      }
    }
    if (lastError) throw lastError;
    throw new ApiError(503, 'relay/no-available-channel', `No channel is available for model ${request.model} in group "${caller.group}"`);
  }

  private async chooseChannel(request: RelayRequest, caller: RelayCaller, attempt: number, tried: ReadonlySet<number>): Promise<RouteCandidate | null> {
    if (caller.pinnedChannelId) {
      if (attempt > 0) return null;
      const pinned = await this.routing.pinnedChannel(caller.pinnedChannelId);
      if (!pinned) throw ApiError.notFound('relay/channel-not-found', `Channel #${caller.pinnedChannelId} does not exist or is disabled`);
      return pinned;
    }
    return pickChannel(this.routing.candidates(caller.group, request.model), attempt, this.health.excludedFrom(tried));
  }

  /** Builds the OpenAI-format upstream body: the client's bytes as they came unless a field must change. */
  private openAiUpstreamBody(request: RelayRequest, attempt: Attempt, rawBody: Buffer | undefined): string | Buffer {
    // ENFORCE_INCLUDE_USAGE promises the client a usage chunk, so the upstream must be asked for one.
    // A Claude or Gemini client is always given usage at the end, so it is always asked for too.
    const askUsage = this.config.env.FORCE_STREAM_OPTION || this.config.env.ENFORCE_INCLUDE_USAGE || request.clientFormat !== null;
    const forceUsage = request.stream && askUsage && !request.clientWantsUsage;
    const renamed = attempt.upstreamModel !== request.model;
    const effort = attempt.suffix.reasoningEffort && request.body.reasoning_effort === undefined ? attempt.suffix.reasoningEffort : undefined;
    if (!forceUsage && !renamed && !effort && rawBody && !request.bodyChanged) return rawBody;
    const body: Record<string, unknown> = { ...request.body };
    if (renamed) body.model = attempt.upstreamModel;
    if (effort) body.reasoning_effort = effort;
    if (forceUsage) {
      const streamOptions = typeof body.stream_options === 'object' && body.stream_options !== null ? body.stream_options : {};
      body.stream_options = { ...streamOptions, include_usage: true };
    }
    return JSON.stringify(body);
  }

  /**
   * The client's own Claude/Gemini body for an upstream of the same protocol, with the model
   * renamed and the admission cap on output tokens applied in that protocol's field.
   */
  private nativeUpstreamBody(request: RelayRequest, attempt: Attempt): string {
    const body: Record<string, unknown> = { ...request.nativeBody };
    const cap = request.bodyChanged ? request.maxTokens : null;
    const capped = typeof request.body[request.maxTokensField] === 'number' ? (request.body[request.maxTokensField] as number) : cap;
    if (request.clientFormat === 'claude') {
      body.model = attempt.upstreamModel;
      if (capped !== null && typeof body.max_tokens === 'number' && capped < body.max_tokens) body.max_tokens = capped;
    } else if (capped !== null) {
      // Gemini names the model in the URL; the output cap lives in generationConfig.
      const key = 'generationConfig' in body || !('generation_config' in body) ? 'generationConfig' : 'generation_config';
      const config = typeof body[key] === 'object' && body[key] !== null ? { ...(body[key] as Record<string, unknown>) } : {};
      const current = config.maxOutputTokens ?? config.max_output_tokens;
      if (typeof current !== 'number' || capped < current) config.maxOutputTokens = capped;
      delete config.max_output_tokens;
      body[key] = config;
    }
    return JSON.stringify(body);
  }

  private upstreamContext(request: RelayRequest, attempt: Attempt, req: Request): UpstreamContext {
    const { channel, setting } = attempt.candidate;
    const env = this.config.env;
    const anthropicBeta = req.headers['anthropic-beta'];
    return {
      channelType: channel.type,
      baseUrl: ((channel.base_url ?? '').trim() || DEFAULT_BASE_URLS[channel.type] || '').replace(/\/+$/, ''),
      apiKey: attempt.candidate.keys[attempt.keyIndex],
      upstreamModel: attempt.upstreamModel,
      stream: request.stream,
      other: (channel.other ?? '').trim(),
      settings: {
        geminiVersion: env.GEMINI_VERSION,
        geminiVisionMaxImageNum: env.GEMINI_VISION_MAX_IMAGE_NUM,
        azureApiVersion: env.AZURE_DEFAULT_API_VERSION,
        cohereSafetySetting: env.COHERE_SAFETY_SETTING,
        thinkingToContent: setting.thinking_to_content === true,
        difyDebug: env.DIFY_DEBUG,
        claudeThinking: attempt.suffix.thinking === true,
      },
      clientHeaders: typeof anthropicBeta === 'string' ? { 'anthropic-beta': anthropicBeta } : {},
    };
  }

  /**
   * Downloads image URLs of a chat prompt into data URLs where the upstream needs them inline
   * (Gemini), or everywhere when the operator hides upstreams from image hosts. Once per request:
   * a retry on another channel reuses the downloaded images.
   */
  private async inlineImagesIfNeeded(request: RelayRequest, protocol: UpstreamProtocol): Promise<void> {
    if (request.endpoint !== 'chat' || request.imagesInlined) return;
    if (!needsInlineImages(protocol) && !this.media.inlineForEveryUpstream()) return;
    if (request.clientFormat === protocol) return; // same protocol: the client's body goes as sent
    if (!JSON.stringify(request.body.messages).includes('"image_url"')) return;
    request.body = await this.media.inlineImages(request.body);
    request.bodyChanged = true;
    request.imagesInlined = true;
  }

  /** Decides URL, headers and body of one attempt from the channel's protocol. */
  private planUpstream(request: RelayRequest, attempt: Attempt, req: Request): UpstreamPlan {
    const { candidate } = attempt;
    const protocol = upstreamProtocolOf(candidate.channel.type);
    const ctx = this.upstreamContext(request, attempt, req);
    if (protocol === 'unsupported') {
      throw new UpstreamError(501, 'channel/unsupported-type', `Channel #${candidate.id} is of a type this gateway cannot relay to yet`, true);
    }
    // Cohere's rerank speaks the common rerank format: only its chat needs the converter.
    const adapter = protocol === 'cohere' && request.endpoint !== 'chat' ? null : chatAdapterOf(protocol);
    if (adapter) {
      if (request.endpoint !== 'chat') {
        throw new UpstreamError(400, 'channel/endpoint-unsupported', `Channel #${candidate.id} (${protocol}) does not serve /v1/${request.endpoint}`, true);
      }
      const target = adapter.buildChatRequest(request.body as OpenAiChatRequest, ctx);
      // Same protocol on both sides: the client's body goes as sent (cache_control, thinking
      // signatures and fields the pivot does not know survive), unless a suffix asks for thinking.
      const passthrough = request.clientFormat === protocol && !attempt.suffix.thinking;
      return {
        protocol,
        adapter,
        passthrough,
        streamReader: () => adapter.createChatStreamConverter(ctx),
        ctx,
        url: target.url,
        headers: target.headers,
        body: passthrough ? this.nativeUpstreamBody(request, attempt) : target.body,
      };
    }
    const isChatLike = request.endpoint === 'chat' || request.endpoint === 'completions';
    // Other endpoints' streams (responses, images, transcripts) reach the client frame for frame.
    const streamReader = isChatLike ? null : () => new ResponsesStreamReader();
    let body: string | Buffer | FormData;
    let contentType = 'application/json';
    if (request.multipart) {
      const renamed = attempt.upstreamModel !== request.model;
      body = renamed ? rebuildMultipart(request.multipart, { model: attempt.upstreamModel }) : request.multipart.raw;
      contentType = request.multipart.contentType;
    } else {
      const rawBody = request.clientFormat ? undefined : (req as Request & { rawBody?: Buffer }).rawBody;
      body = this.openAiUpstreamBody(request, attempt, rawBody);
    }
    const headers: Record<string, string> = { accept: request.stream ? 'text/event-stream' : isChatLike || request.endpoint === 'embeddings' ? 'application/json' : '*/*' };
    // FormData sets its own multipart Content-Type with a new boundary.
    if (!(body instanceof FormData)) headers['content-type'] = contentType;
    if (protocol === 'azure') {
      const version = azureApiVersion(candidate.channel.other, this.config.env.AZURE_DEFAULT_API_VERSION);
      return {
        protocol,
        adapter: null,
        passthrough: !isChatLike,
        streamReader,
        ctx,
        url: azureUpstreamUrl(ctx.baseUrl, attempt.upstreamModel, request.endpoint, version),
        headers: { ...headers, 'api-key': ctx.apiKey },
        body,
      };
    }
    headers.authorization = `Bearer ${ctx.apiKey}`;
    if (candidate.channel.open_ai_organization) headers['openai-organization'] = candidate.channel.open_ai_organization;
    return {
      protocol,
      adapter: null,
      passthrough: !isChatLike,
      streamReader,
      ctx,
      url: openAiUpstreamUrl(candidate.channel.type, candidate.channel.base_url, request.endpoint),
      headers,
      body,
    };
  }

  /**
   * Channel tests: sends `request` to one channel as the relay would (model mapping, key choice,
   * protocol conversion, proxy, credentials) and reads the reply with the same converters, but
   * bills nothing, never retries, records no channel health and writes to no client.
   */
  async probeChannel(candidate: RouteCandidate, request: RelayRequest, options: { timeoutMs: number; signal?: AbortSignal }): Promise<ChannelProbe> {
    const startedAt = Date.now();
    const keyIndex = this.health.pickKey(candidate);
    let upstreamModel = request.model;
    const result = (error: UpstreamError | null, usage: Usage | null): ChannelProbe => ({
      ok: error === null,
      status: error ? error.status : 200,
      message: error ? redactSecrets(error.message) : '',
      error,
      usage,
      keyIndex,
      upstreamModel,
      elapsedMs: Date.now() - startedAt,
    });
    try {
      if (keyIndex < 0) throw new UpstreamError(503, 'channel/no-available-key', `Channel #${candidate.id} has no enabled key`, false);
      const suffix = parseModelSuffix(resolveModelMapping(candidate.modelMapping, request.model));
      upstreamModel = suffix.baseModel;
      // No client request behind a probe: no raw body to reuse, no client headers to pass on.
      const plan = this.planUpstream(request, { candidate, keyIndex, upstreamModel, suffix }, { headers: {} } as Request);
      const dispatcher = this.dispatchers.forProxy(candidate.setting.proxy);
      await this.authorizer.authorize({ protocol: plan.protocol, apiKey: plan.ctx.apiKey, url: plan.url, headers: plan.headers, body: plan.body }, dispatcher);
      const response = await openUpstream({
        url: plan.url,
        headers: plan.headers,
        body: plan.body,
        dispatcher,
        signal: options.signal ?? new AbortController().signal,
        headersTimeoutMs: options.timeoutMs,
        bodyTimeoutMs: options.timeoutMs,
      });
      if (response.statusCode >= 400) {
        const readError = plan.adapter ? (json: unknown): ProviderErrorDetail => plan.adapter!.readError(json) : readOpenAiError;
        throw await readUpstreamError(response, candidate.statusCodeMapping, readError);
      }
      const reply = await this.readProbeReply(request, plan, response);
      if (!reply.hasContent && !reply.usage) throw new UpstreamError(502, 'upstream/empty-reply', 'The upstream returned an empty reply', false);
      return result(null, reply.usage ?? localUsage(estimatePromptTokens(request, false), countTextTokens(request.model, reply.text)));
    } catch (error) {
      if (error instanceof ModelMappingError) {
        return result(new UpstreamError(500, 'channel/model-mapping-cycle', `Channel #${candidate.id} has a model mapping cycle`, false), null);
      }
      return result(error instanceof ApiError ? new UpstreamError(error.status, error.code, error.message, false) : toUpstreamError(error), null);
    }
  }

  /** A probe's whole reply, stream or not, read into usage and content with the relay's converters. */
  private async readProbeReply(
    request: RelayRequest,
    plan: UpstreamPlan,
    response: Awaited<ReturnType<typeof openUpstream>>,
  ): Promise<{ usage: Usage | null; hasContent: boolean; text: string }> {
    const contentType = String(response.headers['content-type'] ?? '');
    if (request.stream && (contentType.includes('text/event-stream') || contentType.includes(AWS_EVENT_STREAM_CONTENT_TYPE))) {
      let text = '';
      const observer = new ChatStreamObserver({ clientWantsUsage: true, onText: (piece) => (text += piece) });
      const converter = plan.streamReader?.() ?? null;
      const onEvent = (event: SseEvent) => {
        for (const payload of converter ? converter.onEvent(event) : [event.data]) observer.onEvent(payload);
      };
      const reader = streamFramingOf(plan.protocol) === 'aws-event-stream' ? new AwsEventStreamReader(onEvent) : new SseReader(onEvent);
      for await (const chunk of response.body) reader.push(chunk as Buffer);
      reader.end();
      for (const payload of converter?.end() ?? []) observer.onEvent(payload);
      const { usage, sawContent, upstreamError } = observer.result;
      if (upstreamError) throw inBandError(upstreamError);
      return { usage, hasContent: sawContent, text };
    }
    const text = await readBodyText(response);
    if (request.endpoint === 'chat' || request.endpoint === 'completions' || request.endpoint === 'embeddings') {
      const folded = plan.adapter !== null && contentType.includes('text/event-stream');
      const json = folded ? this.foldStream(text, plan) : this.readJsonReply(text, plan);
      if (isObjectWithError(json)) throw inBandError(json.error);
      const summary = summariseOpenAiResponse(json);
      return { usage: summary.usage, hasContent: summary.hasContent, text: summary.text };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamError(502, 'upstream/bad-response', 'The upstream answered with a body that is not JSON', false);
    }
    if (isObjectWithError(json)) throw inBandError(json.error);
    const summary = summariseEndpointReply(request.endpoint, json);
    return { usage: summary.usage, hasContent: summary.hasContent, text: summary.text };
  }

  private async forwardOnce(
    request: RelayRequest,
    attempt: Attempt,
    req: Request,
    res: Response,
    signal: AbortSignal,
    startedAt: number,
    isLast: boolean,
    promptTokens: number,
    reservation: PendingReservation,
  ): Promise<RelayOutcome> {
    await this.inlineImagesIfNeeded(request, upstreamProtocolOf(attempt.candidate.channel.type));
    const plan = this.planUpstream(request, attempt, req);
    const dispatcher = this.dispatchers.forProxy(attempt.candidate.setting.proxy);
    // Credentials that need I/O or the clock (Vertex access token, Bedrock SigV4), over the final request.
    await this.authorizer.authorize({ protocol: plan.protocol, apiKey: plan.ctx.apiKey, url: plan.url, headers: plan.headers, body: plan.body }, dispatcher);
    const relayTimeout = this.config.env.RELAY_TIMEOUT;
    const answer = openUpstream({
      url: plan.url,
      headers: plan.headers,
      body: plan.body,
      dispatcher,
      signal,
      headersTimeoutMs: relayTimeout > 0 ? relayTimeout * 1000 : 600_000,
      bodyTimeoutMs: this.config.env.STREAMING_TIMEOUT * 1000,
    });
    const committed = reservation.start();
    const response = await answer;
    // Nothing reaches the client before the reservation has committed (admit).
    try {
      await committed;
    } catch (refused) {
      response.body.destroy();
      throw refused;
    }
    if (response.statusCode >= 400) {
      const readError = plan.adapter ? (json: unknown): ProviderErrorDetail => plan.adapter!.readError(json) : readOpenAiError;
      throw await readUpstreamError(response, attempt.candidate.statusCodeMapping, readError);
    }
    const firstResponseMs = Date.now() - startedAt;
    const contentType = String(response.headers['content-type'] ?? '');
    if (request.stream && (contentType.includes('text/event-stream') || contentType.includes(AWS_EVENT_STREAM_CONTENT_TYPE))) {
      return this.pipeStream(request, attempt, plan, response.body, res, isLast, firstResponseMs, promptTokens);
    }
    if (request.endpoint !== 'chat' && request.endpoint !== 'completions' && request.endpoint !== 'embeddings') {
      const reply = await relayEndpointReply(request.endpoint, request.model, response, res, !isLast);
      return { attempt, firstResponseMs, ...reply };
    }
    const text = await readBodyText(response);
    // The common case, an OpenAI reply to an OpenAI client with no retry left to decide: its bytes
    // go as they came, and only its usage is read from them.
    const untouched = !plan.adapter && !request.clientFormat && (isLast || request.endpoint === 'embeddings') && plan.ctx.settings.thinkingToContent !== true;
    const scanned = untouched ? scanOpenAiUsage(text) : null;
    if (scanned) {
      writeJsonText(res, 200, text);
      return { attempt, usage: scanned, localCompletionTokens: 0, firstResponseMs };
    }
    // An upstream that only streams (Coze) answers a non-stream client with a stream: fold it.
    const folded = plan.adapter !== null && contentType.includes('text/event-stream');
    let openAiResponse: unknown = folded ? this.foldStream(text, plan) : this.readJsonReply(text, plan);
    const summary = summariseOpenAiResponse(openAiResponse);
    if (!summary.hasContent && request.endpoint !== 'embeddings' && !isLast) {
      throw new UpstreamError(502, 'upstream/empty-reply', 'The upstream returned an empty reply', true);
    }
    const foldThinking = plan.ctx.settings.thinkingToContent === true && request.endpoint === 'chat' && !plan.passthrough;
    if (foldThinking) openAiResponse = foldThinkingIntoContent(openAiResponse);
    writeJsonText(res, 200, this.clientBody(request, plan, foldThinking || folded ? null : text, openAiResponse));
    return {
      attempt,
      usage: summary.usage,
      localCompletionTokens: summary.usage ? 0 : countTextTokens(request.model, summary.text),
      firstResponseMs,
    };
  }

  /** A non-stream upstream body as an OpenAI chat completion (converted for non-OpenAI protocols). */
  private readJsonReply(text: string, plan: UpstreamPlan): unknown {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamError(502, 'upstream/bad-response', 'The upstream answered with a body that is not JSON', true);
    }
    if (!plan.adapter) return json;
    try {
      return plan.adapter.convertChatResponse(json, plan.ctx);
    } catch (error) {
      // An adapter that recognised a provider failure (e.g. Coze's {code, msg} with HTTP 200) says so itself.
      if (error instanceof UpstreamError) throw error;
      throw new UpstreamError(502, 'upstream/bad-response', 'The upstream answered with a body this gateway cannot read', true);
    }
  }

  /** A whole upstream stream, already read, folded into one OpenAI chat completion. */
  private foldStream(text: string, plan: UpstreamPlan): unknown {
    const converter = plan.adapter!.createChatStreamConverter(plan.ctx);
    const payloads: string[] = [];
    const reader = new SseReader((event) => payloads.push(...converter.onEvent(event)));
    reader.push(Buffer.from(text, 'utf8'));
    reader.end();
    payloads.push(...converter.end());
    return chatCompletionFromChunks(payloads, plan.ctx.upstreamModel);
  }

  /** A non-stream reply in the client's protocol; untouched bytes whenever both sides speak it. */
  private clientBody(request: RelayRequest, plan: UpstreamPlan, upstreamText: string | null, openAiResponse: unknown): string {
    if (upstreamText !== null && (plan.passthrough || (!plan.adapter && !request.clientFormat))) return upstreamText;
    if (!request.clientFormat) return JSON.stringify(openAiResponse);
    return JSON.stringify(clientFormatOf(request.clientFormat).fromOpenAiResponse(openAiResponse as OpenAiChatResponse, request.model));
  }

  private streamSink(request: RelayRequest, promptTokens: number): ClientStreamSink {
    if (!request.clientFormat) return openAiStreamSink(request.clientWantsUsage || this.config.env.ENFORCE_INCLUDE_USAGE);
    return formatStreamSink(clientFormatOf(request.clientFormat), request.model, promptTokens);
  }

  /**
   * Forwards an SSE stream event by event as it arrives. Every upstream protocol is read as
   * OpenAI chunks (converted when needed) by one observer, which finds usage and content; the
   * client gets them in its own protocol, or the upstream's frames untouched when both sides
   * speak the same one. Events before the first content are held, so an empty reply can still go
   * to another channel; after that, every event is written at once as its own frame.
   */
  private async pipeStream(
    request: RelayRequest,
    attempt: Attempt,
    plan: UpstreamPlan,
    upstream: AsyncIterable<unknown> & { destroy(): void },
    res: Response,
    isLast: boolean,
    firstResponseMs: number,
    promptTokens: number,
  ): Promise<RelayOutcome> {
    const counter = createStreamTokenCounter(request.model);
    const sink = this.streamSink(request, promptTokens);
    const observer = new ChatStreamObserver({ clientWantsUsage: sink.wantsUsageChunk, onText: (text) => counter.push(text) });
    const converter = plan.streamReader?.() ?? null;
    const write = (frames: string[]) => {
      if (frames.length === 0 || res.destroyed) return;
      if (!res.headersSent) {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.socket?.setNoDelay(true);
      }
      for (const frame of frames) res.write(frame);
    };
    let heldNative: string[] = [];
    const observe = (payloads: string[], nativeFrame: string | null) => {
      if (plan.passthrough) {
        for (const payload of payloads) observer.onEvent(payload);
        if (nativeFrame) heldNative.push(nativeFrame);
        if (observer.hasStarted && heldNative.length > 0) {
          write(heldNative);
          heldNative = [];
        }
        return;
      }
      for (const payload of payloads) {
        for (const data of observer.onEvent(payload).forward) write(sink.payload(data));
      }
    };
    const thinking = plan.ctx.settings.thinkingToContent === true && !plan.passthrough ? new ThinkingToContentStream() : null;
    const onEvent = (event: SseEvent) => {
      let payloads = converter ? converter.onEvent(event) : [event.data];
      if (thinking) payloads = payloads.map((payload) => thinking.transform(payload));
      observe(payloads, plan.passthrough ? formatSseFrame({ event: event.event, data: event.data }) : null);
    };
    // Bedrock frames its stream as AWS event-stream messages; the reader unwraps them into the same events.
    const reader = streamFramingOf(plan.protocol) === 'aws-event-stream' ? new AwsEventStreamReader(onEvent) : new SseReader(onEvent);
    let broken = false;
    try {
      for await (const chunk of upstream) {
        reader.push(chunk as Buffer);
        if (res.destroyed) break;
        // A slow reader pauses the upstream (by not reading it) instead of filling the gateway's memory.
        if (res.writableNeedDrain) await drained(res);
      }
      reader.end();
      if (converter) {
        const tail = converter.end();
        observe(thinking ? tail.map((payload) => thinking.transform(payload)) : tail, null);
      }
    } catch (error) {
      if (!res.headersSent) throw toUpstreamError(error);
      // Mid-stream failure after the client got content: tell it in-band and bill what was delivered.
      broken = true;
      write(sink.error(502, 'upstream/stream-broken', 'The upstream stream broke off'));
    }
    const result = observer.result;
    if (!result.sawContent && !res.headersSent && !res.destroyed) {
      if (!isLast) {
        upstream.destroy();
        throw new UpstreamError(502, 'upstream/empty-reply', 'The upstream returned an empty reply', true);
      }
      if (plan.passthrough) write(heldNative);
      else for (const data of observer.flushHeld()) write(sink.payload(data));
    }
    const localCompletionTokens = result.usage ? 0 : counter.total();
    if (!broken && !plan.passthrough) write(sink.end(result.usage ?? localUsage(promptTokens, localCompletionTokens)));
    if (!res.destroyed) res.end();
    return { attempt, usage: result.usage, localCompletionTokens, firstResponseMs };
  }

  private quotaOf(pricing: ResolvedPricing, usage: Usage, otherRatios: Record<string, number>): number {
    return quotaForUsage(pricing, usage, this.billing.quotaPerUnit, otherRatios);
  }

  /** Settles and logs behind the response: the client is not kept waiting for the ledger. */
  private async finish(
    caller: RelayCaller,
    request: RelayRequest,
    pricing: ResolvedPricing,
    promptTokens: number,
    reservation: Reservation,
    outcome: RelayOutcome,
    startedAt: number,
  ): Promise<void> {
    const usage: Usage = outcome.usage ?? localUsage(outcome.localPromptTokens ?? promptTokens, outcome.localCompletionTokens);
    const channelId = outcome.attempt.candidate.id;
    const charged = await this.billing.settle(reservation, this.quotaOf(pricing, usage, request.otherRatios), channelId);
    const useTime = Math.max(0, Math.round((Date.now() - startedAt) / 1000));
    const ratioText = pricing.usePrice
      ? `model price ${pricing.modelPrice}, group ratio ${pricing.groupRatio}`
      : `model ratio ${pricing.modelRatio}, completion ratio ${pricing.completionRatio}, group ratio ${pricing.groupRatio}`;
    if (this.options.getBool('LogConsumeEnabled')) {
      this.logs.enqueue({
        userId: caller.user.id,
        type: LogType.Consume,
        content: outcome.usage ? ratioText : `${ratioText}; the upstream returned no usage, counted locally`,
        username: caller.user.username,
        tokenName: caller.token.name,
        modelName: request.model,
        quota: charged,
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        useTime,
        isStream: request.stream,
        channelId,
        tokenId: caller.token.id,
        group: caller.group,
        other: {
          model_ratio: pricing.modelRatio,
          group_ratio: pricing.groupRatio,
          completion_ratio: pricing.completionRatio,
          model_price: pricing.usePrice ? pricing.modelPrice : -1,
          ...(Object.keys(request.otherRatios).length > 0 ? { other_ratios: request.otherRatios } : {}),
          cache_tokens: usage.cachedTokens,
          cache_ratio: pricing.cacheRatio,
          cache_creation_tokens: usage.cacheWriteTokens,
          cache_creation_ratio: pricing.cacheCreationRatio,
          frt: outcome.firstResponseMs,
          is_stream: request.stream,
          is_model_mapped: outcome.attempt.upstreamModel !== request.model,
          upstream_model_name: outcome.attempt.upstreamModel,
          request_path: requestPathOf(request),
          admin_info: { use_channel: [String(channelId)], multi_key_index: outcome.attempt.keyIndex },
        },
      });
    }
    this.data.recordUsage({
      userId: caller.user.id,
      username: caller.user.username,
      modelName: request.model,
      quota: charged,
      tokens: usage.promptTokens + usage.completionTokens,
    });
  }

  private recordError(caller: RelayCaller, request: RelayRequest, error: unknown, startedAt: number): void {
    if (!this.config.env.ERROR_LOG_ENABLED) return;
    const status = error instanceof UpstreamError || error instanceof ApiError ? error.status : 500;
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    this.logs.enqueue({
      userId: caller.user.id,
      type: LogType.Error,
      content: message,
      username: caller.user.username,
      tokenName: caller.token.name,
      modelName: request.model,
      useTime: Math.round((Date.now() - startedAt) / 1000),
      isStream: request.stream,
      tokenId: caller.token.id,
      group: caller.group,
      other: { status_code: status, error_code: error instanceof UpstreamError ? error.code : '' },
    });
  }

  /** An upstream failure as the client sees it: the provider's message and status, never URLs or keys. */
  private toClientError(error: UpstreamError): ApiError {
    if (error.code === 'upstream/error' && (error.status === 401 || error.status === 403)) {
      // The upstream refused the channel's key, not the caller's: a 401 would tell the client its
      // own key is bad, and the upstream's text may quote part of the channel key.
      return new ApiError(502, 'upstream/channel-auth-failed', 'The upstream refused the credentials of the channel serving this model; an administrator must check the channel');
    }
    const status = error.status === 499 ? 499 : error.status >= 400 && error.status <= 599 ? error.status : 502;
    return new ApiError(status, error.code, redactSecrets(error.message));
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.logger.error(`settlement failed: ${error instanceof Error ? error.stack : String(error)}`))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}

/** A 200 reply whose body or stream event carries an `error` object. */
function isObjectWithError(json: unknown): json is { error: unknown } {
  const error = typeof json === 'object' && json !== null ? (json as { error?: unknown }).error : undefined;
  return typeof error === 'object' && error !== null;
}

/** An error an upstream reported inside a 200 reply, with its type and code for the health rules. */
function inBandError(error: unknown): UpstreamError {
  const detail = readOpenAiError({ error });
  return new UpstreamError(502, 'upstream/error', detail.message || 'The upstream reported an error', false, detail.type, detail.code);
}

/** Usage counted by the gateway when the upstream reported none. */
function localUsage(promptTokens: number, completionTokens: number): Usage {
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
}

/** The client-facing path of a request, for the consume log. */
function requestPathOf(request: RelayRequest): string {
  if (request.requestPath) return request.requestPath;
  if (request.clientFormat === 'claude') return '/v1/messages';
  if (request.clientFormat === 'gemini') return `/v1beta/models/${request.model}:${request.stream ? 'streamGenerateContent' : 'generateContent'}`;
  return `/v1/${request.endpoint === 'chat' ? 'chat/completions' : request.endpoint}`;
}

/** Resolves when a paused client socket can take more (or is gone). */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
