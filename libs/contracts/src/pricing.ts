/** GET /api/pricing: the model marketplace, field for field as New API sends it. */

/** How a model is billed: by tokens through ratios, or a fixed price per call. */
export enum QuotaType {
  Ratio = 0,
  PerCall = 1,
}

export interface PricingModelView {
  model_name: string;
  quota_type: QuotaType;
  /** Input price in units of $0.002 / 1K tokens (0 when the model is priced per call). */
  model_ratio: number;
  /** USD per call (0 when the model is priced by ratio). */
  model_price: number;
  /** Output price as a multiple of the input price. */
  completion_ratio: number;
  /** Groups with an enabled channel serving this model. */
  enable_groups: string[];
  /** Who offers the model, from the type of the channels serving it (e.g. "openai"). */
  owner_by: string;
  /** Client protocols the model can be called with (e.g. "openai", "anthropic"). */
  supported_endpoint_types: string[];
}

/** The whole answer of GET /api/pricing; `data` is the envelope's data, the rest sits beside it. */
export interface PricingResponse {
  success: boolean;
  message: string;
  data: PricingModelView[];
  /** Price multiplier per group (option GroupRatio). */
  group_ratio: Record<string, number>;
  /** Groups users may pick, with their descriptions (option UserUsableGroups). */
  usable_group: Record<string, string>;
}

/** USD per 1M input tokens at model ratio 1 (New API: ratio 1 = $0.002 / 1K tokens). */
export const USD_PER_MILLION_TOKENS_AT_RATIO_1 = 2;
