/**
 * Quota formulas. All arithmetic is exact (see decimal.ts); the only rounding happens once, at the
 * end of each formula, and each function documents which rounding it uses:
 *  - settlement amounts (textQuota, priceQuota, audioQuota, usdToQuota) round half away from zero,
 *    like upstream `decimal.Round(0)`;
 *  - the pre-consume estimate truncates toward zero, like upstream `int(float64)`.
 * Results are clamped to [0, MAX_QUOTA] because quotas live in 32-bit columns.
 *
 * Token counts are sanitized rather than rejected (billing must not throw half-way through a
 * settlement): non-finite or negative counts count as 0, fractions are truncated. A non-finite
 * *ratio or price* throws RangeError instead: that is a configuration bug, and silently billing 0
 * would hide it (option maps read through getRatio never yield one).
 */
import { CLAUDE_CACHE_CREATION_1H_MULTIPLIER, DEFAULT_PRE_CONSUMED_QUOTA, MAX_QUOTA, QUOTA_PER_UNIT } from './constants';
import {
  DEC_ONE,
  DEC_ZERO,
  Decimal,
  dec,
  decAdd,
  decIsZero,
  decMul,
  decRound,
  decSign,
  decTrunc,
} from './decimal';

const MAX_QUOTA_BIG = BigInt(MAX_QUOTA);
const THOUSANDTH: Decimal = { coef: 1n, scale: 3 };

/** Extra multipliers applied on top of the base formula (e.g. `{ n: 2 }` for two images). */
export type OtherRatios = Readonly<Record<string, number>>;

function tokens(n: number | undefined): number {
  if (n === undefined || !Number.isFinite(n) || n <= 0) return 0;
  return Math.trunc(n);
}

function productOfOtherRatios(other: OtherRatios | undefined): Decimal {
  let p = DEC_ONE;
  if (!other) return p;
  for (const v of Object.values(other)) p = decMul(p, dec(v));
  return p;
}

function clampQuota(q: bigint): number {
  if (q < 0n) return 0;
  if (q > MAX_QUOTA_BIG) return MAX_QUOTA;
  return Number(q);
}

/** One kind of tool call billed per 1000 calls (web_search 10, file_search 2.5, ...). */
export interface ToolSurcharge {
  usdPerThousandCalls: number;
  calls: number;
}

function toolSurchargeDecimal(
  surcharges: ReadonlyArray<ToolSurcharge> | undefined,
  groupRatio: number,
  quotaPerUnit: number,
): Decimal {
  if (!surcharges || surcharges.length === 0) return DEC_ZERO;
  let usdTimesCalls = DEC_ZERO;
  for (const s of surcharges) usdTimesCalls = decAdd(usdTimesCalls, decMul(dec(s.usdPerThousandCalls), dec(tokens(s.calls))));
  return decMul(decMul(decMul(usdTimesCalls, THOUSANDTH), dec(quotaPerUnit)), dec(groupRatio));
}

/**
 * Tool surcharge in quota: price × calls / 1000 × group_ratio × QuotaPerUnit, rounded half away
 * from zero. textQuota adds the unrounded amount itself; this is for logs and displays.
 */
export function toolSurchargeQuota(
  surcharges: ReadonlyArray<ToolSurcharge>,
  groupRatio: number,
  quotaPerUnit: number = QUOTA_PER_UNIT,
): number {
  return clampQuota(decRound(toolSurchargeDecimal(surcharges, groupRatio, quotaPerUnit)));
}

export interface TextQuotaInput {
  /** Usage prompt/input tokens. Under OpenAI semantics this INCLUDES cached and cache-write tokens. */
  promptTokens: number;
  completionTokens: number;
  /** Cache-read tokens (OpenAI `cached_tokens`, Claude `cache_read_input_tokens`). */
  cachedTokens: number;
  /** Cache-write tokens (Claude `cache_creation_input_tokens`), including any 1-hour ones. */
  cacheWriteTokens: number;
  /** The part of `cacheWriteTokens` written to the 1-hour Claude cache. */
  cacheWrite1hTokens?: number;
  /** Image-input tokens reported separately by the upstream (priced at `imageRatio`). */
  imageTokens?: number;
  /**
   * True for Claude usage (request arrived on /v1/messages, or usage tagged anthropic): Claude's
   * `input_tokens` already excludes cache reads/writes, so nothing is subtracted from the prompt.
   */
  anthropicSemantics: boolean;
  modelRatio: number;
  completionRatio: number;
  cacheRatio: number;
  /** Ratio for (5-minute) cache writes. */
  cacheCreationRatio: number;
  /** Ratio for 1-hour cache writes; defaults to cacheCreationRatio × 1.6. */
  cacheCreation1hRatio?: number;
  groupRatio: number;
  /** Defaults to 1. */
  imageRatio?: number;
  otherRatios?: OtherRatios;
  /** Per-call tool charges added after the ratios ([latest] web/file search, image generation). */
  toolSurcharges?: ReadonlyArray<ToolSurcharge>;
  /** Used for the tool surcharges only. Defaults to 500000. */
  quotaPerUnit?: number;
}

/**
 * Quota of a text/chat request in ratio mode ([latest] `calculateTextQuotaSummary`):
 *
 *   base   = prompt − cached − cacheWrite − image       (OpenAI semantics, floored at 0)
 *          = prompt − image                             (Anthropic semantics)
 *   prompt = base + cached×cacheRatio + write5m×cacheCreationRatio + write1h×cacheCreation1hRatio
 *            + image×imageRatio
 *   quota  = (prompt + completion×completionRatio) × modelRatio × groupRatio × Π otherRatios
 *            + tool surcharges
 *
 * Image tokens are subtracted under both semantics, as upstream's code does (Claude usage never
 * reports them separately, so this only prevents double billing).
 *
 * Rounded half away from zero, clamped to [0, MAX_QUOTA]. If modelRatio × groupRatio ≠ 0 and the
 * result is ≤ 0, it becomes 1 (a paid model is never free). If prompt + completion = 0 and there
 * are no surcharges, the quota is 0 (upstream returned no usage; the pre-consumed amount is refunded).
 */
export function textQuota(input: TextQuotaInput): number {
  const prompt = tokens(input.promptTokens);
  const completion = tokens(input.completionTokens);
  const cached = tokens(input.cachedTokens);
  const write = tokens(input.cacheWriteTokens);
  const write1h = Math.min(tokens(input.cacheWrite1hTokens), write);
  const image = tokens(input.imageTokens);

  const surcharge = toolSurchargeDecimal(input.toolSurcharges, input.groupRatio, input.quotaPerUnit ?? QUOTA_PER_UNIT);
  if (prompt + completion === 0 && decIsZero(surcharge)) return 0;

  const base = Math.max(0, input.anthropicSemantics ? prompt - image : prompt - cached - write - image);
  const r1h = input.cacheCreation1hRatio ?? input.cacheCreationRatio * CLAUDE_CACHE_CREATION_1H_MULTIPLIER;

  let promptPart = dec(base);
  promptPart = decAdd(promptPart, decMul(dec(cached), dec(input.cacheRatio)));
  promptPart = decAdd(promptPart, decMul(dec(write - write1h), dec(input.cacheCreationRatio)));
  promptPart = decAdd(promptPart, decMul(dec(write1h), dec(r1h)));
  promptPart = decAdd(promptPart, decMul(dec(image), dec(input.imageRatio ?? 1)));

  const ratio = decMul(dec(input.modelRatio), dec(input.groupRatio));
  const weighted = decAdd(promptPart, decMul(dec(completion), dec(input.completionRatio)));
  const total = decAdd(decMul(decMul(weighted, ratio), productOfOtherRatios(input.otherRatios)), surcharge);

  const q = clampQuota(decRound(total));
  if (q <= 0 && !decIsZero(ratio) && prompt + completion > 0) return 1;
  return q;
}

export interface PriceQuotaInput {
  /** USD per call (`ModelPrice`), already multiplied by imagePriceRatio for images. */
  modelPrice: number;
  groupRatio: number;
  quotaPerUnit?: number;
  /** e.g. `{ n: 3 }` for three images. */
  otherRatios?: OtherRatios;
}

/**
 * Per-call quota: model_price × QuotaPerUnit × group_ratio × Π otherRatios, rounded half away
 * from zero and clamped. A positive price never rounds down to a free call (minimum 1).
 */
export function priceQuota(input: PriceQuotaInput): number {
  const total = decMul(
    decMul(decMul(dec(input.modelPrice), dec(input.quotaPerUnit ?? QUOTA_PER_UNIT)), dec(input.groupRatio)),
    productOfOtherRatios(input.otherRatios),
  );
  const q = clampQuota(decRound(total));
  if (q === 0 && decSign(total) > 0) return 1;
  return q;
}

/** Sizes that dall-e bills at 2× (and dall-e-3 hd at only 1.5× extra). */
const DALLE_LARGE_SIZES = new Set(['1024x1792', '1792x1024']);
const DALLE_SIZE_RATIO: Readonly<Record<string, number>> = {
  '256x256': 0.4,
  '512x512': 0.45,
  '1024x1024': 1,
  '1024x1792': 2,
  '1792x1024': 2,
};

/**
 * Multiplier applied to an image model's per-call price for the requested size and quality.
 * Only dall-e models are size-priced; dall-e-3 `hd` doubles the price, or ×1.5 for the tall/wide
 * sizes (which are already ×2). Unknown sizes price as 1.
 */
export function imagePriceRatio(model: string, size?: string, quality?: string): number {
  if (!model.startsWith('dall-e')) return 1;
  const s = size ?? '';
  const sizeRatio = Object.prototype.hasOwnProperty.call(DALLE_SIZE_RATIO, s) ? DALLE_SIZE_RATIO[s] : 1;
  let qualityRatio = 1;
  if (model === 'dall-e-3' && quality === 'hd') qualityRatio = DALLE_LARGE_SIZES.has(s) ? 1.5 : 2;
  return sizeRatio * qualityRatio;
}

export interface AudioQuotaInput {
  textInputTokens: number;
  textOutputTokens: number;
  audioInputTokens: number;
  audioOutputTokens: number;
  modelRatio: number;
  completionRatio: number;
  audioRatio: number;
  audioCompletionRatio: number;
  groupRatio: number;
}

/**
 * gpt-4o audio / realtime quota:
 * (textIn + textOut×completion + audioIn×audio + audioOut×audio×audioCompletion) × model × group,
 * rounded half away from zero, minimum 1 for a non-zero ratio, 0 with no tokens at all.
 */
export function audioQuota(input: AudioQuotaInput): number {
  const ti = tokens(input.textInputTokens);
  const to = tokens(input.textOutputTokens);
  const ai = tokens(input.audioInputTokens);
  const ao = tokens(input.audioOutputTokens);
  if (ti + to + ai + ao === 0) return 0;
  const audio = dec(input.audioRatio);
  let weighted = dec(ti);
  weighted = decAdd(weighted, decMul(dec(to), dec(input.completionRatio)));
  weighted = decAdd(weighted, decMul(dec(ai), audio));
  weighted = decAdd(weighted, decMul(decMul(dec(ao), audio), dec(input.audioCompletionRatio)));
  const ratio = decMul(dec(input.modelRatio), dec(input.groupRatio));
  const q = clampQuota(decRound(decMul(weighted, ratio)));
  if (q <= 0 && !decIsZero(ratio)) return 1;
  return q;
}

export interface PreConsumeInput {
  /** Locally estimated prompt tokens. */
  promptTokens: number;
  /** The request's max_tokens (0/undefined when unset). */
  maxTokens?: number;
  /** Option `PreConsumedQuota` (default 500): the minimum prompt size assumed. */
  preConsumedQuotaOption?: number;
  modelRatio: number;
  groupRatio: number;
}

/**
 * Ratio-mode pre-consume amount ([latest] `ModelPriceHelper`):
 * trunc((max(prompt, PreConsumedQuota) + max_tokens) × modelRatio × groupRatio), clamped.
 * Truncation (not rounding) matches upstream's `int(float64)`; settlement fixes the difference.
 * A free model (either ratio 0) pre-consumes 0.
 */
export function preConsumeQuota(input: PreConsumeInput): number {
  const floor = tokens(input.preConsumedQuotaOption ?? DEFAULT_PRE_CONSUMED_QUOTA);
  const preTokens = Math.max(tokens(input.promptTokens), floor) + tokens(input.maxTokens);
  return clampQuota(decTrunc(decMul(decMul(dec(preTokens), dec(input.modelRatio)), dec(input.groupRatio))));
}

/**
 * Settlement delta: positive → charge the difference, negative → refund it. The wallet may go
 * negative on a positive delta (the request already happened).
 */
export function settleDelta(actualQuota: number, preConsumedQuota: number): number {
  return actualQuota - preConsumedQuota;
}

/** Ratios that determine the worst-case cost of a request. */
export interface WorstCaseRatios {
  modelRatio: number;
  completionRatio: number;
  groupRatio: number;
  otherRatios?: OtherRatios;
}

export interface WorstCaseInput extends WorstCaseRatios {
  promptTokens: number;
  maxTokens: number;
}

/**
 * The most a request can cost if the upstream emits all `maxTokens` completion tokens and no cache
 * discount applies: textQuota of (prompt, maxTokens). Settlement uses the same formula, so an actual
 * usage within these bounds never costs more — this is what admits requests on limited tokens.
 * (Claude cache writes, priced above input, are not covered: the prompt estimate cannot know them.)
 */
export function worstCaseQuota(input: WorstCaseInput): number {
  return textQuota({
    promptTokens: input.promptTokens,
    completionTokens: input.maxTokens,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    anthropicSemantics: false,
    modelRatio: input.modelRatio,
    completionRatio: input.completionRatio,
    cacheRatio: 1,
    cacheCreationRatio: 1,
    groupRatio: input.groupRatio,
    otherRatios: input.otherRatios,
  });
}

/**
 * Largest max_tokens whose worst case fits in `remainingQuota`:
 * worstCaseQuota(cap) ≤ remaining < worstCaseQuota(cap + 1).
 * Used to cap the upstream max_tokens so a limited token can never be overdrawn.
 *
 * Returns -1 when even the prompt alone (cap 0) does not fit, and Infinity when completion tokens
 * add nothing (free model, zero completion ratio) or when remaining ≥ MAX_QUOTA (every quota is
 * clamped there). Results beyond Number.MAX_SAFE_INTEGER are capped to it.
 *
 * With `wanted`, the answer is min(wanted, that largest max_tokens), -1 still meaning "not even the
 * prompt fits"; when `wanted` fits, that takes one quota computation instead of a search.
 */
export function maxAffordableCompletionTokens(
  remainingQuota: number,
  promptTokens: number,
  ratios: WorstCaseRatios,
  wanted?: number,
): number {
  const remaining = Number.isFinite(remainingQuota) ? Math.floor(remainingQuota) : remainingQuota > 0 ? Infinity : -Infinity;
  const cost = (m: number): number => worstCaseQuota({ ...ratios, promptTokens, maxTokens: m });
  if (wanted !== undefined && cost(wanted) <= remaining) return wanted;
  if (cost(0) > remaining) return -1;
  const capped = (m: number): number => (wanted === undefined ? m : Math.min(m, wanted));
  if (remaining >= MAX_QUOTA) return capped(Infinity);
  const perToken = decMul(
    decMul(decMul(dec(ratios.completionRatio), dec(ratios.modelRatio)), dec(ratios.groupRatio)),
    productOfOtherRatios(ratios.otherRatios),
  );
  if (decSign(perToken) <= 0) return capped(Infinity);

  // Before rounding the cost is linear in m, so a float estimate lands within a token or two of
  // the answer; bracket it there (cost() is monotone) and fall back to searching from 0.
  let lo = 0;
  let hi = 1;
  const perTokenApprox = Number(perToken.coef) / 10 ** perToken.scale;
  const promptCostApprox = cost(0);
  const estimate = Math.floor((remaining - promptCostApprox) / perTokenApprox);
  if (Number.isFinite(estimate) && estimate >= 2 && estimate < Number.MAX_SAFE_INTEGER / 4) {
    if (cost(estimate - 2) <= remaining) lo = estimate - 2;
    hi = Math.max(lo + 1, estimate + 2);
  }
  // Exponential search for an unaffordable upper bound, then binary search.
  while (cost(hi) <= remaining) {
    lo = hi;
    if (hi >= Number.MAX_SAFE_INTEGER) return capped(Number.MAX_SAFE_INTEGER);
    hi = Math.min(hi * 2, Number.MAX_SAFE_INTEGER);
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (cost(mid) <= remaining) lo = mid;
    else hi = mid;
  }
  return capped(lo);
}

/** Quota → USD for display (floating point; never feed the result back into billing). */
export function quotaToUsd(quota: number, quotaPerUnit: number = QUOTA_PER_UNIT): number {
  return quota / quotaPerUnit;
}

/** USD → quota (top-ups, admin inputs), exact and rounded half away from zero. Not clamped. */
export function usdToQuota(usd: number, quotaPerUnit: number = QUOTA_PER_UNIT): number {
  return Number(decRound(decMul(dec(usd), dec(quotaPerUnit))));
}
