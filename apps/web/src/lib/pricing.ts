import { QuotaType, USD_PER_MILLION_TOKENS_AT_RATIO_1, type PricingModelView } from '@your-api/contracts';

export interface ModelPrice {
  perCall: boolean;
  /** USD per 1M input tokens (ratio models). */
  input: number;
  /** USD per 1M output tokens (ratio models). */
  output: number;
  /** USD per call (per-call models). */
  call: number;
}

/**
 * What a model costs in a group: model ratio × $2 per 1M input tokens, times the completion
 * ratio for output; a per-call model costs its price. Both scale with the group ratio.
 */
export function modelPrice(model: PricingModelView, groupRatio: number): ModelPrice {
  if (model.quota_type === QuotaType.PerCall) {
    return { perCall: true, input: 0, output: 0, call: model.model_price * groupRatio };
  }
  const input = model.model_ratio * USD_PER_MILLION_TOKENS_AT_RATIO_1 * groupRatio;
  return { perCall: false, input, output: input * model.completion_ratio, call: 0 };
}

/** `$1.25`, `$0.075`, `$0.0001`: enough digits to be exact for typical prices. */
export function formatUsd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;
}
