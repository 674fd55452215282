import {
  DEFAULT_COMPLETION_RATIO_FALLBACK,
  MISSING_CACHE_RATIO,
  MISSING_CREATE_CACHE_RATIO,
  MISSING_MODEL_RATIO,
  CLAUDE_CACHE_CREATION_1H_MULTIPLIER,
} from './constants';
import {
  DEFAULT_AUDIO_COMPLETION_RATIO,
  DEFAULT_AUDIO_RATIO,
  DEFAULT_CACHE_RATIO,
  DEFAULT_COMPLETION_RATIO,
  DEFAULT_CREATE_CACHE_RATIO,
  DEFAULT_GROUP_GROUP_RATIO,
  DEFAULT_GROUP_RATIO,
  DEFAULT_IMAGE_RATIO,
  DEFAULT_MODEL_PRICE,
  DEFAULT_MODEL_RATIO,
  RatioMap,
} from './defaults';

/** All ratio/price options the billing code reads, as loaded from the `options` table. */
export interface RatioTables {
  /** `ModelRatio`: model → ratio (1 = $2 per 1M input tokens). */
  readonly modelRatio: RatioMap;
  /** `ModelPrice`: model → USD per call. Presence switches the model to per-call billing. */
  readonly modelPrice: RatioMap;
  /** `CompletionRatio`: model → output/input price ratio (hardcoded locked rules win). */
  readonly completionRatio: RatioMap;
  /** `CacheRatio`: model → cached-input/input price ratio (missing → 1). */
  readonly cacheRatio: RatioMap;
  /** `CreateCacheRatio`: model → cache-write/input price ratio (missing → 1.25). */
  readonly createCacheRatio: RatioMap;
  /** `ImageRatio`: model → image-input/input price ratio (missing → 1). */
  readonly imageRatio: RatioMap;
  /** `AudioRatio` ([latest]; missing → 1). */
  readonly audioRatio: RatioMap;
  /** `AudioCompletionRatio` ([latest]; missing → 1). */
  readonly audioCompletionRatio: RatioMap;
  /** `GroupRatio`: group → multiplier (missing → 1). */
  readonly groupRatio: RatioMap;
  /** `GroupGroupRatio` ([latest]): userGroup → usingGroup → multiplier overriding `groupRatio`. */
  readonly groupGroupRatio: Readonly<Record<string, RatioMap>>;
}

export const DEFAULT_RATIO_TABLES: RatioTables = Object.freeze({
  modelRatio: DEFAULT_MODEL_RATIO,
  modelPrice: DEFAULT_MODEL_PRICE,
  completionRatio: DEFAULT_COMPLETION_RATIO,
  cacheRatio: DEFAULT_CACHE_RATIO,
  createCacheRatio: DEFAULT_CREATE_CACHE_RATIO,
  imageRatio: DEFAULT_IMAGE_RATIO,
  audioRatio: DEFAULT_AUDIO_RATIO,
  audioCompletionRatio: DEFAULT_AUDIO_COMPLETION_RATIO,
  groupRatio: DEFAULT_GROUP_RATIO,
  groupGroupRatio: DEFAULT_GROUP_GROUP_RATIO,
});

/** Own-property lookup: option maps come from user JSON, so "constructor" etc. must not resolve. */
export function getRatio(map: RatioMap | undefined, key: string): number | undefined {
  if (!map || !Object.prototype.hasOwnProperty.call(map, key)) return undefined;
  const v = map[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const GEMINI_THINKING_FAMILIES: ReadonlyArray<readonly [prefix: string, wildcard: string]> = [
  // Order matters: "flash-lite" also starts with "flash".
  ['gemini-2.5-flash-lite', 'gemini-2.5-flash-lite-thinking-*'],
  ['gemini-2.5-flash', 'gemini-2.5-flash-thinking-*'],
  ['gemini-2.5-pro', 'gemini-2.5-pro-thinking-*'],
];

/**
 * Normalizes a model name before any ratio/price lookup, so that one entry prices a whole family:
 * GPTs (`gpt-4-gizmo-g-abc` → `gpt-4-gizmo-*`) and Gemini 2.5 thinking-budget variants
 * (`gemini-2.5-flash-thinking-1024` → `gemini-2.5-flash-thinking-*`).
 */
export function formatMatchingModelName(name: string): string {
  for (const [prefix, wildcard] of GEMINI_THINKING_FAMILIES) {
    if (name.startsWith(prefix)) {
      if (name.includes('-thinking-')) return wildcard;
      break;
    }
  }
  if (name.startsWith('gpt-4-gizmo')) return 'gpt-4-gizmo-*';
  if (name.startsWith('gpt-4o-gizmo')) return 'gpt-4o-gizmo-*';
  return name;
}

export interface ModelRatioLookup {
  ratio: number;
  /** False when the model is unpriced; the relay must then refuse unless self-use/accept-unset is on. */
  found: boolean;
}

/**
 * `ModelRatio` lookup after name normalization. A missing model yields 37.5 with
 * `found = selfUseMode` (self-use mode bills unknown models at 37.5 instead of refusing them).
 */
export function lookupModelRatio(ratios: RatioMap, name: string, selfUseMode = false): ModelRatioLookup {
  const ratio = getRatio(ratios, formatMatchingModelName(name));
  if (ratio === undefined) return { ratio: MISSING_MODEL_RATIO, found: selfUseMode };
  return { ratio, found: true };
}

export interface ModelPriceLookup {
  /** USD per call; -1 when not found. */
  price: number;
  found: boolean;
}

/** `ModelPrice` lookup after name normalization. `found` means the model bills per call. */
export function lookupModelPrice(prices: RatioMap, name: string): ModelPriceLookup {
  const price = getRatio(prices, formatMatchingModelName(name));
  return price === undefined ? { price: -1, found: false } : { price, found: true };
}

export interface CompletionRatioInfo {
  ratio: number;
  /** Locked ratios ignore the `CompletionRatio` option (and the admin UI greys them out). */
  locked: boolean;
}

const CLAUDE_4_FAMILIES = ['claude-sonnet-4', 'claude-opus-4', 'claude-haiku-4'];

function gpt5CompletionRatio(name: string): CompletionRatioInfo {
  // "gpt-5", "gpt-5-mini", "gpt-5-codex", ...: no minor version.
  const minorMatch = /^gpt-5\.(\d+)/.exec(name);
  if (!minorMatch) return { ratio: 8, locked: true };
  const minor = Number(minorMatch[1]);
  // 5.1–5.3 keep the 8× price of 5.0 (upstream tests pin these as 8/locked).
  if (minor < 4) return { ratio: 8, locked: true };
  if (minor === 4) return name.startsWith('gpt-5.4-nano') ? { ratio: 6.25, locked: true } : { ratio: 6, locked: true };
  // 5.5 and later: 6× by default but the operator may override it.
  return { ratio: 6, locked: false };
}

/**
 * The hardcoded completion-ratio table ([latest] `getHardcodedCompletionModelRatio`), applied to an
 * already-normalized name. Unlocked results are only defaults: the option overrides them.
 *
 * [v25.04] differed: every gpt-4o* was 4 locked, claude-instant-1/claude-2 were 3 locked, every
 * gemini-* was 4 locked, other command* were 4 locked, there were no gpt-5/claude-4 rules, and
 * `deepseek-chat` / `deepseek-reasoner` were 4 locked. [latest] removed the DeepSeek rule, so they
 * now default to 1 unless the `CompletionRatio` option sets them.
 *
 * Deliberate deviation: [latest] upstream tests `gpt-` before `gpt-3.5`, which makes its gpt-3.5
 * rules unreachable (gpt-3.5-turbo would fall to "2, unlocked"). We follow the reference table —
 * gpt-3.5-turbo is 3 locked — which is also what the worked billing examples assume.
 */
export function hardcodedCompletionRatio(name: string): CompletionRatioInfo {
  if (name.endsWith('-all') || name.endsWith('-gizmo-*')) return { ratio: 2, locked: false };

  if (name.startsWith('gpt-4o')) {
    if (name === 'gpt-4o-2024-05-13') return { ratio: 3, locked: true };
    if (name.startsWith('gpt-4o-mini-tts')) return { ratio: 20, locked: false };
    return { ratio: 4, locked: false };
  }
  if (name.startsWith('gpt-5')) return gpt5CompletionRatio(name);
  if (name.startsWith('gpt-4.5-preview')) return { ratio: 2, locked: true };
  if (name.startsWith('gpt-4-turbo') || name.endsWith('gpt-4-1106') || name.endsWith('gpt-4-1105')) {
    return { ratio: 3, locked: true };
  }
  if (name.startsWith('gpt-4')) return { ratio: 2, locked: false };

  if (name.startsWith('o1') || name.startsWith('o3')) return { ratio: 4, locked: true };
  if (name === 'chatgpt-4o-latest') return { ratio: 3, locked: true };

  if (name.includes('claude-3') || CLAUDE_4_FAMILIES.some((f) => name.includes(f))) {
    return { ratio: 5, locked: true };
  }

  if (name.startsWith('gpt-3.5')) {
    if (name === 'gpt-3.5-turbo' || name.endsWith('0125')) return { ratio: 3, locked: true };
    if (name.endsWith('1106')) return { ratio: 2, locked: true };
    return { ratio: 4 / 3, locked: true };
  }
  if (name.startsWith('mistral-')) return { ratio: 3, locked: true };

  if (name.startsWith('gemini-')) {
    if (name.startsWith('gemini-1.5') || name.startsWith('gemini-2.0')) return { ratio: 4, locked: true };
    if (name.startsWith('gemini-2.5-pro')) return { ratio: 8, locked: false };
    if (name.startsWith('gemini-2.5-flash')) {
      if (name.startsWith('gemini-2.5-flash-preview')) {
        return name.endsWith('-nothinking') ? { ratio: 4, locked: false } : { ratio: 3.5 / 0.15, locked: false };
      }
      if (name.startsWith('gemini-2.5-flash-lite')) return { ratio: 4, locked: false };
      return { ratio: 2.5 / 0.3, locked: false };
    }
    if (name.startsWith('gemini-robotics-er-1.5')) return { ratio: 2.5 / 0.3, locked: false };
    if (name.startsWith('gemini-3-pro')) {
      return name.startsWith('gemini-3-pro-image') ? { ratio: 60, locked: false } : { ratio: 6, locked: false };
    }
    return { ratio: 4, locked: false };
  }

  if (name.startsWith('command')) {
    switch (name) {
      case 'command-r':
        return { ratio: 3, locked: true };
      case 'command-r-plus':
        return { ratio: 5, locked: true };
      case 'command-r-08-2024':
      case 'command-r-plus-08-2024':
        return { ratio: 4, locked: true };
      default:
        return { ratio: 4, locked: false };
    }
  }

  if (
    name.startsWith('ERNIE-Speed-') ||
    name.startsWith('ERNIE-Lite-') ||
    name.startsWith('ERNIE-Character') ||
    name.startsWith('ERNIE-Functions')
  ) {
    return { ratio: 2, locked: true };
  }
  switch (name) {
    case 'llama2-70b-4096':
      return { ratio: 0.8 / 0.64, locked: true };
    case 'llama3-8b-8192':
      return { ratio: 2, locked: true };
    case 'llama3-70b-8192':
      return { ratio: 0.79 / 0.59, locked: true };
  }
  return { ratio: DEFAULT_COMPLETION_RATIO_FALLBACK, locked: false };
}

/**
 * Effective completion ratio plus whether it is locked. Precedence:
 * 1. names containing "/" (vendor/model) take the option value first;
 * 2. a locked hardcoded rule;
 * 3. the option value;
 * 4. the unlocked hardcoded default (1 for unknown models).
 */
export function completionRatioInfo(ratios: RatioMap, name: string): CompletionRatioInfo {
  const normalized = formatMatchingModelName(name);
  const option = getRatio(ratios, normalized);
  if (normalized.includes('/') && option !== undefined) return { ratio: option, locked: false };
  const hard = hardcodedCompletionRatio(normalized);
  if (hard.locked) return hard;
  if (option !== undefined) return { ratio: option, locked: false };
  return hard;
}

/** Effective completion ratio (see {@link completionRatioInfo}). */
export function completionRatio(ratios: RatioMap, name: string): number {
  return completionRatioInfo(ratios, name).ratio;
}

/** `CacheRatio` lookup by exact name (upstream does not normalize here); missing → 1. */
export function cacheRatio(ratios: RatioMap, name: string): number {
  return getRatio(ratios, name) ?? MISSING_CACHE_RATIO;
}

/** `CreateCacheRatio` lookup by exact name; missing → 1.25. */
export function createCacheRatio(ratios: RatioMap, name: string): number {
  return getRatio(ratios, name) ?? MISSING_CREATE_CACHE_RATIO;
}

/** Claude 1-hour cache-write ratio derived from the 5-minute one (× 1.6). */
export function createCacheRatio1h(ratio5m: number): number {
  return ratio5m * CLAUDE_CACHE_CREATION_1H_MULTIPLIER;
}

/** `ImageRatio` lookup by exact name; missing → 1. */
export function imageRatio(ratios: RatioMap, name: string): number {
  return getRatio(ratios, name) ?? 1;
}

/** `AudioRatio` lookup after normalization; missing → 1. */
export function audioRatio(ratios: RatioMap, name: string): number {
  return getRatio(ratios, formatMatchingModelName(name)) ?? 1;
}

/**
 * `AudioCompletionRatio` lookup after normalization; missing → 1. New API keys the realtime
 * families by prefix (`gpt-4o-realtime` prices `gpt-4o-realtime-preview-…`), so without an exact
 * entry the longest key the name starts with applies.
 */
export function audioCompletionRatio(ratios: RatioMap, name: string): number {
  const normalized = formatMatchingModelName(name);
  const exact = getRatio(ratios, normalized);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  for (const key of Object.keys(ratios)) {
    if (normalized.startsWith(key) && (!best || key.length > best.length)) best = key;
  }
  return (best !== undefined ? getRatio(ratios, best) : undefined) ?? 1;
}

/** `GroupRatio` lookup; an unknown group bills at 1. */
export function groupRatio(groupRatios: RatioMap, group: string): number {
  return getRatio(groupRatios, group) ?? 1;
}

/**
 * Group ratio with the [latest] `GroupGroupRatio` override: a (userGroup, usingGroup) pair listed
 * there wins over the plain `GroupRatio` of the group actually used.
 */
export function effectiveGroupRatio(
  groupRatios: RatioMap,
  groupGroupRatios: Readonly<Record<string, RatioMap>> | undefined,
  userGroup: string,
  usingGroup: string,
): number {
  const perUser =
    groupGroupRatios && Object.prototype.hasOwnProperty.call(groupGroupRatios, userGroup)
      ? groupGroupRatios[userGroup]
      : undefined;
  return getRatio(perUser, usingGroup) ?? groupRatio(groupRatios, usingGroup);
}

export interface ResolvedPricing {
  /** Normalized model name that the lookups used. */
  matchedName: string;
  /** True when the model has a `ModelPrice` entry: bill per call, ignore token ratios. */
  usePrice: boolean;
  /** USD per call; 0 unless `usePrice`. */
  modelPrice: number;
  /** `ModelRatio` (37.5 when unpriced); 0 when `usePrice`, since per-call billing ignores it. */
  modelRatio: number;
  /** False when the model has neither a price nor a ratio and self-use mode is off. */
  found: boolean;
  completionRatio: number;
  completionRatioLocked: boolean;
  cacheRatio: number;
  cacheCreationRatio: number;
  cacheCreation1hRatio: number;
  imageRatio: number;
  groupRatio: number;
}

export interface ResolvePricingOptions {
  /** The group the request is billed under (token group, or the group picked by `auto`). */
  group: string;
  /** The user's own group, for `GroupGroupRatio`; defaults to `group`. */
  userGroup?: string;
  /** `SelfUseModeEnabled`: unknown models are billed at 37.5 instead of refused. */
  selfUseMode?: boolean;
}

/** Everything the relay needs to price one request for `model`, in one call. */
export function resolvePricing(tables: RatioTables, model: string, opts: ResolvePricingOptions): ResolvedPricing {
  const price = lookupModelPrice(tables.modelPrice, model);
  const ratio = lookupModelRatio(tables.modelRatio, model, opts.selfUseMode ?? false);
  const completion = completionRatioInfo(tables.completionRatio, model);
  const r5m = createCacheRatio(tables.createCacheRatio, model);
  return {
    matchedName: formatMatchingModelName(model),
    usePrice: price.found,
    modelPrice: price.found ? price.price : 0,
    modelRatio: price.found ? 0 : ratio.ratio,
    found: price.found || ratio.found,
    completionRatio: completion.ratio,
    completionRatioLocked: completion.locked,
    cacheRatio: cacheRatio(tables.cacheRatio, model),
    cacheCreationRatio: r5m,
    cacheCreation1hRatio: createCacheRatio1h(r5m),
    imageRatio: imageRatio(tables.imageRatio, model),
    groupRatio: effectiveGroupRatio(tables.groupRatio, tables.groupGroupRatio, opts.userGroup ?? opts.group, opts.group),
  };
}
