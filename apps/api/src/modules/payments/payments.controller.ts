import { Body, Controller, Get, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdminAuth, AuthUser, CurrentUser, UserAuth } from '../../common/auth';
import { ok } from '../../common/envelope';
import { readPage } from '../../common/paging';
import { CompleteTopUpDto, PayDto, StripePayDto } from './dto/pay.dto';
import { PaymentsService } from './payments.service';

/** A query value as one string (repeated parameters arrive as arrays). */
function queryText(value: unknown): string {
  if (Array.isArray(value)) return queryText(value[0]);
  return typeof value === 'string' ? value : '';
}

/** /api/user/…: quotes, orders and order lists of online top-up (New API controller/topup.go, topup_stripe.go). */
@Controller('api/user')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get('topup/info')
  @UserAuth()
  info() {
    return ok(this.payments.info());
  }

  @Post('amount')
  @UserAuth()
  @HttpCode(200)
  async epayQuote(@CurrentUser() caller: AuthUser, @Body() body: PayDto) {
    return ok(await this.payments.epayQuote(caller, body), 'success');
  }

  /** New API's answer has no `data` envelope of its own: `{message: "success", data: params, url}`. */
  @Post('pay')
  @UserAuth()
  @HttpCode(200)
  async epayPay(@CurrentUser() caller: AuthUser, @Body() body: PayDto) {
    const order = await this.payments.createEpayOrder(caller, body);
    return { success: true, message: 'success', data: order.params, url: order.url };
  }

  @Post('stripe/amount')
  @UserAuth()
  @HttpCode(200)
  async stripeQuote(@CurrentUser() caller: AuthUser, @Body() body: PayDto) {
    return ok(await this.payments.stripeQuote(caller, body), 'success');
  }

  @Post('stripe/pay')
  @UserAuth()
  @HttpCode(200)
  async stripePay(@CurrentUser() caller: AuthUser, @Body() body: StripePayDto) {
    return ok(await this.payments.createStripeOrder(caller, body), 'success');
  }

  @Get('topup/self')
  @UserAuth()
  async listOwn(@CurrentUser() caller: AuthUser, @Query() query: Record<string, unknown>) {
    return ok(await this.payments.listOwn(caller, readPage(query), queryText(query.keyword)));
  }

  @Get('topup')
  @AdminAuth()
  async listAll(@Query() query: Record<string, unknown>) {
    return ok(await this.payments.listAll(readPage(query), queryText(query.keyword)));
  }

  @Post('topup/complete')
  @AdminAuth()
  @HttpCode(200)
  async complete(@CurrentUser() caller: AuthUser, @Body() body: CompleteTopUpDto) {
    return ok(await this.payments.completeByAdmin(caller, body.trade_no));
  }

  /** The gateway's notification: GET query or POST form; answers the plain text `success` or `fail`. */
  @Get('epay/notify')
  async epayNotifyGet(@Query() query: Record<string, unknown>, @Res() res: Response) {
    this.answer(res, await this.payments.epayNotify(query));
  }

  @Post('epay/notify')
  async epayNotifyPost(@Req() req: Request, @Res() res: Response) {
    const form = (req.body ?? {}) as Record<string, unknown>;
    this.answer(res, await this.payments.epayNotify(Object.keys(form).length > 0 ? form : (req.query as Record<string, unknown>)));
  }

  private answer(res: Response, paid: boolean): void {
    res.status(200).type('text/plain').send(paid ? 'success' : 'fail');
  }
}

/** POST /api/stripe/webhook: Stripe's checkout events, signed over the raw body (kept by main.ts). */
@Controller('api/stripe')
export class StripeWebhookController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('webhook')
  @HttpCode(200)
  async webhook(@Req() req: Request & { rawBody?: Buffer }, @Headers('stripe-signature') signature?: string) {
    await this.payments.stripeWebhook(req.rawBody, signature);
    return { received: true };
  }
}
