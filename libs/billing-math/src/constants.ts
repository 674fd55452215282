/** 500 000 quota = 1 USD (option `QuotaPerUnit`). */
export const QUOTA_PER_UNIT = 500_000;

/** Quotas are stored in 32-bit signed integer columns upstream; every computed quota is clamped here. */
export const MAX_QUOTA = 2_147_483_647;

/** Ratio returned for a model missing from `ModelRatio` (it bills like an expensive model). */
export const MISSING_MODEL_RATIO = 37.5;

/** Completion ratio used when neither a hardcoded rule nor the option matches. */
export const DEFAULT_COMPLETION_RATIO_FALLBACK = 1;

/** Cache-read ratio when the model is missing from `CacheRatio`. */
export const MISSING_CACHE_RATIO = 1;

/** Cache-write ratio when the model is missing from `CreateCacheRatio`. */
export const MISSING_CREATE_CACHE_RATIO = 1.25;

/** Claude 1-hour cache writes cost 2× input vs 1.25× for 5-minute ones: 2 / 1.25 = 6 / 3.75 = 1.6. */
export const CLAUDE_CACHE_CREATION_1H_MULTIPLIER = 1.6;

/** Option `PreConsumedQuota`: the minimum prompt-token count assumed when pre-consuming. */
export const DEFAULT_PRE_CONSUMED_QUOTA = 500;

/** 1 ratio = $0.002 / 1K tokens, so 1 USD = 500 ratio-units; CN prices use 1 USD = 7.3 RMB. */
export const USD = 500;
export const USD_TO_RMB = 7.3;
export const RMB = USD / USD_TO_RMB;
