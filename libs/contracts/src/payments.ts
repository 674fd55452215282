/** Online top-up (New API `top_ups`, EPay and Stripe): orders, quotes and what the wallet shows. */

/** `top_ups.status` values. */
export enum TopUpStatus {
  Pending = 'pending',
  Success = 'success',
  Failed = 'failed',
  Expired = 'expired',
}

/** `top_ups.payment_provider` values this gateway writes. */
export enum PaymentProvider {
  Epay = 'epay',
  Stripe = 'stripe',
}

/** A top-up order as the list routes show it (New API's JSON field names). */
export interface TopUpView {
  id: number;
  user_id: number;
  /** Purchased units (dollars of quota; tokens in TOKENS display mode). */
  amount: number;
  /** Money to pay / paid, in the gateway's currency. */
  money: number;
  trade_no: string;
  payment_method: string;
  payment_provider: string;
  create_time: number;
  complete_time: number;
  /** TopUpStatus */
  status: string;
}

/** One pay method of the `PayMethods` option (EPay `type`), plus `stripe` when Stripe is set up. */
export interface PayMethodView {
  name: string;
  type: string;
  color?: string;
  icon?: string;
  /** Smallest amount for this method, when it has its own. */
  min_topup?: string | number;
}

/** GET /api/user/topup/info */
export interface TopUpInfoView {
  /** EPay is configured (PayAddress, EpayId, EpayKey). */
  enable_online_topup: boolean;
  /** Stripe is configured (StripeApiSecret, StripeWebhookSecret, StripePriceId). */
  enable_stripe_topup: boolean;
  pay_methods: PayMethodView[];
  min_topup: number;
  stripe_min_topup: number;
  /** Preset amounts (`payment_setting.amount_options`). */
  amount_options: number[];
  /** `{amount: multiplier}` (`payment_setting.amount_discount`), e.g. `{"100": 0.95}`. */
  discount: Record<string, number>;
  /** Money per unit: EPay `Price`, Stripe `StripeUnitPrice`. */
  price: number;
  stripe_unit_price: number;
}

/** POST /api/user/pay, /api/user/amount, /api/user/stripe/pay, /api/user/stripe/amount body. */
export interface PayRequest {
  amount: number;
  payment_method?: string;
  /** Stripe only: where Checkout sends the browser back. */
  success_url?: string;
  cancel_url?: string;
}

/** POST /api/user/pay answer: `{message: "success", data: params, url}` (the browser form-posts params to url). */
export interface EpayOrderReply {
  success: boolean;
  message: string;
  data: Record<string, string>;
  url: string;
}

/** POST /api/user/stripe/pay `data`. */
export interface StripeOrderView {
  pay_link: string;
}

/** POST /api/user/topup/complete body (admin). */
export interface CompleteTopUpRequest {
  trade_no: string;
}
