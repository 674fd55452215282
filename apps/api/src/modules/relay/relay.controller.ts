import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CHANNEL_TYPE_NAMES } from '@your-api/contracts';
import type { Request, Response } from 'express';
import { ApiError } from '../../common/api-error';
import { AuthUser, CurrentUser, UserAuth } from '../../common/auth';
import { BillingService } from '../billing/billing.service';
import { OptionsService } from '../options/options.service';
import { RelayAuthService, RelayCaller } from './relay-auth.service';
import { GEMINI_METHOD } from './relay-http-entry';
import { RelayService } from './relay.service';
import { RoutingIndexService } from './routing/routing-index.service';

/** OpenAI-compatible relay routes. Thin: auth, then the relay service writes the response itself. */
@Controller()
export class RelayController {
  constructor(
    private readonly relayService: RelayService,
    private readonly auth: RelayAuthService,
    private readonly routing: RoutingIndexService,
    private readonly billing: BillingService,
    private readonly options: OptionsService,
  ) {}

  @Post('v1/chat/completions')
  chat(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relay('chat', req, res);
  }

  /**
   * The console playground: a chat completion for the logged-in user (session cookie, or access
   * token + New-Api-User), without an API key; billed to the wallet, in the body's `group` if usable.
   */
  @Post('pg/chat/completions')
  @UserAuth()
  playground(@CurrentUser() user: AuthUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relayPlayground(user, req, res);
  }

  @Post('v1/completions')
  completions(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relay('completions', req, res);
  }

  @Post('v1/embeddings')
  embeddings(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relay('embeddings', req, res);
  }

  @Post('v1/responses')
  responses(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relay('responses', req, res);
  }

  @Post('v1/images/generations')
  imageGenerations(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relay('images/generations', req, res);
  }

  @Post('v1/images/edits')
  imageEdits(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relayMultipart('images/edits', req, res);
  }

  @Post('v1/audio/speech')
  speech(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relay('audio/speech', req, res);
  }

  @Post('v1/audio/transcriptions')
  transcriptions(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relayMultipart('audio/transcriptions', req, res);
  }

  @Post('v1/audio/translations')
  translations(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relayMultipart('audio/translations', req, res);
  }

  @Post('v1/moderations')
  moderations(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relay('moderations', req, res);
  }

  @Post('v1/rerank')
  rerank(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relay('rerank', req, res);
  }

  /** Claude's Messages API, served by any channel (Claude channels get the body as sent). */
  @Post('v1/messages')
  messages(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.relayService.relayClientFormat('claude', req, res);
  }

  /** Gemini's `models/{model}:generateContent` and `:streamGenerateContent`, served by any channel. */
  @Post('v1beta/models/:target')
  gemini(@Req() req: Request, @Res() res: Response, @Param('target') target: string): Promise<void> {
    const match = GEMINI_METHOD.exec(target);
    if (!match) {
      throw ApiError.notFound('relay/unknown-method', `Unknown method "${target}": this gateway serves models/{model}:generateContent and :streamGenerateContent`);
    }
    return this.relayService.relayClientFormat('gemini', req, res, { pathModel: match[1], pathStream: match[2] === 'streamGenerateContent' });
  }

  @Get('v1/models')
  async models(@Req() req: Request) {
    const caller = await this.auth.authenticate(req);
    const models = this.allowedModels(caller);
    if (req.headers['anthropic-version']) {
      // Anthropic's SDK lists models in its own shape.
      const data = models.map((id) => ({ id, type: 'model', display_name: id, created_at: '2024-01-01T00:00:00Z' }));
      return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    }
    return { object: 'list', data: models.map((id) => this.modelView(caller.group, id)) };
  }

  @Get('v1beta/models')
  async geminiModels(@Req() req: Request) {
    const caller = await this.auth.authenticate(req);
    return {
      models: this.allowedModels(caller).map((id) => ({
        name: `models/${id}`,
        displayName: id,
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent'],
      })),
    };
  }

  private allowedModels(caller: RelayCaller): string[] {
    return this.routing.models([caller.group]).filter((m) => !caller.allowedModels || caller.allowedModels.has(m));
  }

  @Get('v1/models/:model')
  async model(@Req() req: Request, @Param('model') model: string) {
    const caller = await this.auth.authenticate(req);
    const allowed = (!caller.allowedModels || caller.allowedModels.has(model)) && this.routing.candidates(caller.group, model).length > 0;
    if (!allowed) throw ApiError.notFound('relay/model-not-found', `The model '${model}' does not exist`);
    return this.modelView(caller.group, model);
  }

  @Get(['dashboard/billing/subscription', 'v1/dashboard/billing/subscription'])
  @HttpCode(200)
  async subscription(@Req() req: Request) {
    const caller = await this.auth.authenticate(req);
    const snapshot = await this.billing.snapshot({ tokenId: caller.token.id, tokenUnlimited: Boolean(caller.token.unlimited_quota), userId: caller.user.id });
    const perUnit = this.billing.quotaPerUnit;
    const byToken = this.options.getBool('DisplayTokenStatEnabled');
    const unlimited = byToken && caller.token.unlimited_quota;
    const amount = unlimited
      ? 100_000_000
      : byToken
        ? (snapshot.tokenRemain + snapshot.tokenUsed) / perUnit
        : (snapshot.userQuota + snapshot.userUsed) / perUnit;
    const expires = caller.token.expired_time === -1 ? 0 : caller.token.expired_time;
    return {
      object: 'billing_subscription',
      has_payment_method: true,
      soft_limit_usd: amount,
      hard_limit_usd: amount,
      system_hard_limit_usd: amount,
      access_until: expires,
    };
  }

  @Get(['dashboard/billing/usage', 'v1/dashboard/billing/usage'])
  async usage(@Req() req: Request) {
    const caller = await this.auth.authenticate(req);
    const snapshot = await this.billing.snapshot({ tokenId: caller.token.id, tokenUnlimited: Boolean(caller.token.unlimited_quota), userId: caller.user.id });
    const used = this.options.getBool('DisplayTokenStatEnabled') ? snapshot.tokenUsed : snapshot.userUsed;
    return { object: 'list', total_usage: (used / this.billing.quotaPerUnit) * 100 };
  }

  private modelView(group: string, id: string) {
    const type = this.routing.candidates(group, id)[0]?.channel.type;
    return {
      id,
      object: 'model',
      created: 1626777600,
      owned_by: type !== undefined ? (CHANNEL_TYPE_NAMES[type] ?? 'custom').toLowerCase() : 'custom',
    };
  }
}
