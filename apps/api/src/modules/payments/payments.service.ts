import { createHash, randomBytes } from 'node:crypto';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  LogType,
  type Page,
  PaymentProvider,
  type PayMethodView,
  type StripeOrderView,
  type TopUpInfoView,
  TopUpStatus,
  type TopUpView,
} from '@your-api/contracts';
import Stripe from 'stripe';
import { DataSource, Repository } from 'typeorm';
import { ApiError } from '../../common/api-error';
import type { AuthUser } from '../../common/auth';
import { PageRequest, toPage } from '../../common/paging';
import { AppConfig } from '../../config/app-config';
import { LOG_REPOSITORY } from '../../database/database.module';
import { LogEntity, TopUpEntity } from '../../database/entities';
import { LogRecord, LogsService } from '../logs/logs.service';
import { OptionsService } from '../options/options.service';
import { UsersService } from '../users/users.service';
import { PayDto, StripePayDto } from './dto/pay.dto';
import {
  callbackBase,
  epaySubmitUrl,
  flattenParams,
  MIN_PAY_MONEY,
  minimumFor,
  moneyText,
  multiplierOf,
  paymentLogContent,
  payMoney,
  quotaOfAmount,
  randomTradeSuffix,
  readAmountOptions,
  readDiscounts,
  readPayMethods,
  sameMoney,
  signEpayParams,
  tradeNo,
  unitsOf,
  verifyEpayParams,
} from './payment-rules';
import { CompletedOrder, PayerMissingError, PaymentsRepository } from './payments.repository';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** New API's upper bound on a Stripe top-up amount. */
export const STRIPE_MAX_AMOUNT = 10_000;

export function toTopUpView(order: TopUpEntity): TopUpView {
  return {
    id: order.id,
    user_id: Number(order.user_id),
    amount: Number(order.amount),
    money: Number(order.money),
    trade_no: order.trade_no,
    payment_method: order.payment_method,
    payment_provider: order.payment_provider,
    create_time: Number(order.create_time),
    complete_time: Number(order.complete_time),
    status: order.status,
  };
}

/** The answer of POST /api/user/pay (New API: `{message: "success", data: params, url}`). */
export interface EpayOrder {
  params: Record<string, string>;
  url: string;
}

/** Events of POST /api/stripe/webhook this module acts on. */
const STRIPE_CREDIT_EVENTS = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

/**
 * Online top-up (New API controller/topup.go and topup_stripe.go): quotes, EPay orders and their
 * signed notifications, Stripe Checkout sessions and their webhook, and the order lists. A paid
 * order credits exactly once, however often and however concurrently its notification arrives:
 * see PaymentsRepository.complete.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    private readonly repository: PaymentsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(LOG_REPOSITORY) private readonly logRepository: Repository<LogEntity>,
    private readonly users: UsersService,
    private readonly logs: LogsService,
    private readonly options: OptionsService,
    private readonly config: AppConfig,
  ) {}

  // ---------------------------------------------------------------- settings

  private get epayEnabled(): boolean {
    return Boolean(this.options.get('PayAddress').trim() && this.options.get('EpayId').trim() && this.options.get('EpayKey'));
  }

  private get stripeEnabled(): boolean {
    return Boolean(this.options.get('StripeApiSecret') && this.options.get('StripeWebhookSecret') && this.options.get('StripePriceId').trim());
  }

  private get tokensMode(): boolean {
    return this.options.get('general_setting.quota_display_type') === 'TOKENS';
  }

  private get quotaPerUnit(): number {
    return this.options.getNumber('QuotaPerUnit');
  }

  private discountFor(amount: number): number {
    return multiplierOf(readDiscounts(this.options.getJson('payment_setting.amount_discount')), String(amount));
  }

  /** GET /api/user/topup/info: what the wallet offers. Holds no secret. */
  info(): TopUpInfoView {
    const methods: PayMethodView[] = this.epayEnabled ? readPayMethods(this.options.getJson('PayMethods')) : [];
    const stripe = this.stripeEnabled;
    if (stripe && !methods.some((method) => method.type === 'stripe')) {
      methods.push({ name: 'Stripe', type: 'stripe', color: 'rgba(var(--semi-purple-5), 1)', min_topup: this.options.getNumber('StripeMinTopUp') });
    }
    return {
      enable_online_topup: this.epayEnabled,
      enable_stripe_topup: stripe,
      pay_methods: methods,
      min_topup: this.options.getNumber('MinTopUp'),
      stripe_min_topup: this.options.getNumber('StripeMinTopUp'),
      amount_options: readAmountOptions(this.options.getJson('payment_setting.amount_options')),
      discount: readDiscounts(this.options.getJson('payment_setting.amount_discount')),
      price: this.options.getNumber('Price'),
      stripe_unit_price: this.options.getNumber('StripeUnitPrice'),
    };
  }

  /** The money to pay for `amount` at `unitPrice`, for this user's group; refused under the minimum. */
  private async quote(user: AuthUser, amount: number, unitPrice: number, minimum: number): Promise<number> {
    const minimumAmount = this.tokensMode ? minimum * this.quotaPerUnit : minimum;
    if (amount < minimumAmount) {
      throw ApiError.badRequest('payment/below-minimum', `The top-up amount must be at least ${minimumAmount}`);
    }
    // The group as stored now (the session's copy may be older than an admin's change).
    const group = (await this.users.getById(user.id)).group;
    const money = payMoney({
      units: unitsOf(amount, this.tokensMode, this.quotaPerUnit),
      unitPrice,
      groupRatio: multiplierOf(this.options.getJson('TopupGroupRatio'), group),
      discount: this.discountFor(amount),
    });
    if (money < MIN_PAY_MONEY) throw ApiError.badRequest('payment/amount-too-small', 'The amount is too small to pay');
    return money;
  }

  // ---------------------------------------------------------------- EPay

  /** POST /api/user/amount: the EPay price of an amount, as a string with two decimals. */
  async epayQuote(user: AuthUser, input: PayDto): Promise<string> {
    const method = readPayMethods(this.options.getJson('PayMethods')).find((m) => m.type === input.payment_method);
    return moneyText(await this.quote(user, input.amount, this.options.getNumber('Price'), minimumFor(method, this.options.getNumber('MinTopUp'))));
  }

  /** POST /api/user/pay: a pending order and the signed params the browser posts to `{PayAddress}/submit.php`. */
  async createEpayOrder(user: AuthUser, input: PayDto): Promise<EpayOrder> {
    if (!this.epayEnabled) throw ApiError.badRequest('payment/epay-disabled', 'Online top-up is not configured by the administrator');
    const methods = readPayMethods(this.options.getJson('PayMethods'));
    const method = methods.find((m) => m.type === input.payment_method);
    if (!method || method.type === 'stripe') throw ApiError.badRequest('payment/bad-method', 'This payment method is not available');
    const money = await this.quote(user, input.amount, this.options.getNumber('Price'), minimumFor(method, this.options.getNumber('MinTopUp')));
    const now = nowSeconds();
    const number = tradeNo(user.id, randomTradeSuffix(), now);
    const callback = callbackBase(this.options.get('CustomCallbackAddress'), this.options.get('ServerAddress'));
    const server = callbackBase('', this.options.get('ServerAddress'));
    const params = signEpayParams(
      {
        pid: this.options.get('EpayId').trim(),
        type: method.type,
        out_trade_no: number,
        notify_url: `${callback}/api/user/epay/notify`,
        return_url: `${server}/console/wallet`,
        name: `TUC${input.amount}`,
        money: moneyText(money),
        device: 'pc',
      },
      this.options.get('EpayKey'),
    );
    await this.repository.insert({
      user_id: user.id,
      amount: input.amount,
      money,
      trade_no: number,
      payment_method: method.type,
      payment_provider: PaymentProvider.Epay,
      create_time: now,
      complete_time: 0,
      status: TopUpStatus.Pending,
    });
    return { params, url: epaySubmitUrl(this.options.get('PayAddress')) };
  }

  /**
   * GET/POST /api/user/epay/notify: true (answer `success`) when the notification is genuine and
   * the order is paid, now or before; false (answer `fail`, the gateway retries) otherwise.
   */
  async epayNotify(raw: Record<string, unknown>): Promise<boolean> {
    const params = flattenParams(raw);
    const key = this.options.get('EpayKey');
    if (!key || !verifyEpayParams(params, key)) {
      this.logger.warn(`EPay notify with a bad signature for order ${params.out_trade_no ?? '?'}`);
      return false;
    }
    if (params.pid !== undefined && params.pid !== this.options.get('EpayId').trim()) {
      this.logger.warn(`EPay notify for another merchant (pid ${params.pid})`);
      return false;
    }
    // Signed, but not a payment (e.g. WAIT_BUYER_PAY): acknowledged, nothing to do.
    if (params.trade_status !== 'TRADE_SUCCESS') return true;
    const order = await this.repository.findByTradeNo(params.out_trade_no ?? '');
    if (!order || order.payment_provider !== PaymentProvider.Epay) {
      this.logger.warn(`EPay notify for unknown order ${params.out_trade_no ?? '?'}`);
      return false;
    }
    if (order.status !== TopUpStatus.Pending) return order.status === TopUpStatus.Success;
    if (!sameMoney(Number(params.money), Number(order.money))) {
      this.logger.warn(`EPay notify for order ${order.trade_no} paid ${params.money}, expected ${moneyText(Number(order.money))}: not credited`);
      return false;
    }
    const done = await this.credit(order, params.type || undefined, 'EPay');
    // Null: a concurrent notification completed it first.
    return done !== 'missing-user';
  }

  // ---------------------------------------------------------------- Stripe

  /** POST /api/user/stripe/amount: the Stripe price of an amount, as a string with two decimals. */
  async stripeQuote(user: AuthUser, input: PayDto): Promise<string> {
    return moneyText(await this.quote(user, input.amount, this.options.getNumber('StripeUnitPrice'), this.options.getNumber('StripeMinTopUp')));
  }

  private stripeClient(): Stripe {
    const secret = this.options.get('StripeApiSecret');
    const options: ConstructorParameters<typeof Stripe>[1] = { maxNetworkRetries: 0, timeout: 30_000, telemetry: false };
    const base = this.config.env.STRIPE_API_BASE.trim();
    if (base) {
      const url = new URL(base);
      options.host = url.hostname;
      options.protocol = url.protocol === 'http:' ? 'http' : 'https';
      if (url.port) options.port = Number(url.port);
    }
    return new Stripe(secret, options);
  }

  /** A return URL the client asked for, accepted only on the site's own origin (no open redirect). */
  private returnUrl(requested: string | undefined, fallback: string): string {
    const server = callbackBase('', this.options.get('ServerAddress'));
    if (!requested) return `${server}${fallback}`;
    try {
      if (new URL(requested).origin === new URL(server).origin) return requested;
    } catch {
      // not a URL
    }
    throw ApiError.badRequest('payment/bad-return-url', 'success_url and cancel_url must be on this site');
  }

  /** POST /api/user/stripe/pay: a Checkout Session for `amount` × StripePriceId and a pending order. */
  async createStripeOrder(user: AuthUser, input: StripePayDto): Promise<StripeOrderView> {
    if (!this.stripeEnabled) throw ApiError.badRequest('payment/stripe-disabled', 'Stripe top-up is not configured by the administrator');
    const secret = this.options.get('StripeApiSecret');
    if (!/^(sk|rk)_/.test(secret)) throw ApiError.badRequest('payment/stripe-misconfigured', 'Stripe is not configured correctly; contact the administrator');
    if (input.amount > STRIPE_MAX_AMOUNT) throw ApiError.badRequest('payment/above-maximum', `The top-up amount must be at most ${STRIPE_MAX_AMOUNT}`);
    const money = await this.quote(user, input.amount, this.options.getNumber('StripeUnitPrice'), this.options.getNumber('StripeMinTopUp'));
    const successUrl = this.returnUrl(input.success_url, '/console/wallet?stripe=success');
    const cancelUrl = this.returnUrl(input.cancel_url, '/console/wallet?stripe=cancel');
    const now = nowSeconds();
    // New API: "ref_" + sha1 of a unique reference; also the session's client_reference_id.
    const reference = `your-api-ref-${user.id}-${Date.now()}-${randomBytes(4).toString('hex')}`;
    const number = `ref_${createHash('sha1').update(reference).digest('hex')}`;
    const email = (await this.users.getById(user.id)).email.trim();
    let session: Stripe.Checkout.Session;
    try {
      session = await this.stripeClient().checkout.sessions.create({
        mode: 'payment',
        line_items: [{ price: this.options.get('StripePriceId').trim(), quantity: input.amount }],
        success_url: successUrl,
        cancel_url: cancelUrl,
        client_reference_id: number,
        customer_creation: 'always',
        ...(email ? { customer_email: email } : {}),
        ...(this.options.getBool('StripePromotionCodesEnabled') ? { allow_promotion_codes: true } : {}),
        metadata: { trade_no: number, user_id: String(user.id) },
      });
    } catch (error) {
      this.logger.warn(`Stripe checkout session for user ${user.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new ApiError(HttpStatus.BAD_GATEWAY, 'payment/stripe-failed', 'Stripe did not create a payment session; try again later');
    }
    if (!session.url) throw new ApiError(HttpStatus.BAD_GATEWAY, 'payment/stripe-failed', 'Stripe did not return a payment link');
    await this.repository.insert({
      user_id: user.id,
      amount: input.amount,
      money,
      trade_no: number,
      payment_method: 'stripe',
      payment_provider: PaymentProvider.Stripe,
      create_time: now,
      complete_time: 0,
      status: TopUpStatus.Pending,
    });
    return { pay_link: session.url };
  }

  /**
   * POST /api/stripe/webhook: verifies the Stripe-Signature over the raw body (refused: 400), then
   * credits completed checkouts once and closes failed and expired ones.
   */
  async stripeWebhook(rawBody: Buffer | undefined, signature: string | undefined): Promise<void> {
    const secret = this.options.get('StripeWebhookSecret');
    if (!secret || !rawBody || !signature) throw ApiError.badRequest('payment/bad-signature', 'Invalid Stripe signature');
    let event: Stripe.Event;
    try {
      event = this.stripeClient().webhooks.constructEvent(rawBody, signature, secret);
    } catch {
      throw ApiError.badRequest('payment/bad-signature', 'Invalid Stripe signature');
    }
    if (!event.type.startsWith('checkout.session.')) return;
    const session = event.data.object as Stripe.Checkout.Session;
    const number = session.client_reference_id ?? '';
    const order = await this.repository.findByTradeNo(number);
    if (!order || order.payment_provider !== PaymentProvider.Stripe) {
      this.logger.warn(`Stripe ${event.type} for unknown order ${number || '?'}`);
      return;
    }
    if (STRIPE_CREDIT_EVENTS.has(event.type)) {
      // A completed checkout whose (asynchronous) payment is still on its way: wait for async_payment_succeeded.
      if (session.status !== 'complete' || session.payment_status === 'unpaid') return;
      const done = await this.credit(order, undefined, 'Stripe');
      if (done === 'missing-user') throw new ApiError(HttpStatus.CONFLICT, 'payment/user-missing', 'The order belongs to no user');
      return;
    }
    if (event.type === 'checkout.session.async_payment_failed') await this.repository.closePending(number, TopUpStatus.Failed, nowSeconds());
    if (event.type === 'checkout.session.expired') await this.repository.closePending(number, TopUpStatus.Expired, nowSeconds());
  }

  // ---------------------------------------------------------------- credit

  /**
   * Completes a pending order: status, quota and log row as one unit (see PaymentsRepository.complete).
   * 'credited', 'not-pending' (done before or by a concurrent call), or 'missing-user' (nothing changed).
   */
  private async credit(pending: TopUpEntity, paymentMethod: string | undefined, via: string): Promise<'credited' | 'not-pending' | 'missing-user'> {
    const number = pending.trade_no;
    const username = await this.usernameOf(Number(pending.user_id));
    const tokensMode = this.tokensMode;
    const quotaPerUnit = this.quotaPerUnit;
    const logInline = this.logRepository.manager.dataSource === this.dataSource;
    let done: { order: CompletedOrder; quota: number } | null;
    try {
      done = await this.repository.complete({
        tradeNo: number,
        now: nowSeconds(),
        paymentMethod,
        quotaOf: (order) => quotaOfAmount(order.amount, tokensMode, quotaPerUnit),
        logRow: logInline ? (order, quota) => this.logs.toRow(this.topUpLog(order, quota, via, username)) : null,
      });
    } catch (error) {
      if (error instanceof PayerMissingError) {
        this.logger.warn(`paid order ${number} belongs to user ${error.userId}, who no longer exists: not credited`);
        return 'missing-user';
      }
      throw error;
    }
    if (!done) return 'not-pending';
    this.users.forget(done.order.user_id);
    if (!logInline) await this.recordQuietly(this.topUpLog(done.order, done.quota, via, username));
    return 'credited';
  }

  /** The name the log row carries; '' when the user is gone (the credit then refuses anyway). */
  private async usernameOf(userId: number): Promise<string> {
    try {
      return (await this.users.getById(userId)).username;
    } catch {
      return '';
    }
  }

  private topUpLog(order: CompletedOrder, quota: number, via: string, username: string): LogRecord {
    return {
      userId: order.user_id,
      username,
      type: LogType.Topup,
      quota,
      content: paymentLogContent(via, order.amount, quota, order.money, order.trade_no),
    };
  }

  /** A log written after the credit committed must not turn a done credit into an error. */
  private async recordQuietly(entry: LogRecord): Promise<void> {
    try {
      await this.logs.record(entry);
    } catch (error) {
      this.logger.warn(`could not write the top-up log of user ${entry.userId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // ---------------------------------------------------------------- lists and manual completion

  async listAll(page: PageRequest, keyword: string): Promise<Page<TopUpView>> {
    const [rows, total] = await this.repository.list(page, { keyword: keyword.trim() });
    return toPage(page, rows.map(toTopUpView), total);
  }

  async listOwn(user: AuthUser, page: PageRequest, keyword: string): Promise<Page<TopUpView>> {
    const [rows, total] = await this.repository.list(page, { userId: user.id, keyword: keyword.trim() });
    return toPage(page, rows.map(toTopUpView), total);
  }

  /** POST /api/user/topup/complete: an admin marks a pending order paid (New API ManualCompleteTopUp). */
  async completeByAdmin(caller: AuthUser, number: string): Promise<TopUpView> {
    const order = await this.repository.findByTradeNo(number.trim());
    if (!order) throw ApiError.notFound('payment/order-not-found', 'This top-up order does not exist');
    if (order.status !== TopUpStatus.Pending) throw ApiError.badRequest('payment/not-pending', 'Only a pending order can be completed');
    const done = await this.credit(order, undefined, `manual by ${caller.username}`);
    if (done === 'missing-user') throw ApiError.notFound('payment/user-missing', 'The user of this order no longer exists');
    if (done === 'not-pending') throw ApiError.badRequest('payment/not-pending', 'Only a pending order can be completed');
    const after = await this.repository.findByTradeNo(order.trade_no);
    return toTopUpView(after ?? order);
  }
}
