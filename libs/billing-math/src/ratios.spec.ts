import {
  DEFAULT_CACHE_RATIO,
  DEFAULT_COMPLETION_RATIO,
  DEFAULT_CREATE_CACHE_RATIO,
  DEFAULT_GROUP_RATIO,
  DEFAULT_MODEL_PRICE,
  DEFAULT_MODEL_RATIO,
  DEFAULT_RATIO_TABLES,
  DEFAULT_USER_USABLE_GROUPS,
  MISSING_MODEL_RATIO,
  audioCompletionRatio,
  cacheRatio,
  completionRatio,
  completionRatioInfo,
  createCacheRatio,
  createCacheRatio1h,
  effectiveGroupRatio,
  formatMatchingModelName,
  groupRatio,
  hardcodedCompletionRatio,
  imageRatio,
  lookupModelPrice,
  lookupModelRatio,
  resolvePricing,
} from './index';

describe('default tables', () => {
  it('are frozen', () => {
    for (const t of [DEFAULT_MODEL_RATIO, DEFAULT_MODEL_PRICE, DEFAULT_COMPLETION_RATIO, DEFAULT_CACHE_RATIO, DEFAULT_CREATE_CACHE_RATIO, DEFAULT_GROUP_RATIO, DEFAULT_USER_USABLE_GROUPS]) {
      expect(Object.isFrozen(t)).toBe(true);
    }
  });

  it('carry at least 60 model ratios, all finite and non-negative', () => {
    const entries = Object.entries(DEFAULT_MODEL_RATIO);
    expect(entries.length).toBeGreaterThanOrEqual(60);
    for (const [, v] of entries) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
  });

  it.each([
    ['gpt-3.5-turbo', 0.25],
    ['gpt-4', 15],
    ['gpt-4-turbo', 5],
    ['gpt-4o', 1.25],
    ['gpt-4o-mini', 0.075],
    ['gpt-4.1', 1],
    ['gpt-4.1-mini', 0.2],
    ['gpt-4.1-nano', 0.05],
    ['o1', 7.5],
    ['o1-mini', 0.55],
    ['o3-mini', 0.55],
    ['o3', 1],
    ['o4-mini', 0.55],
    ['gpt-5', 0.625],
    ['gpt-5-mini', 0.125],
    ['gpt-5-nano', 0.025],
    ['gpt-image-1', 2.5],
    ['text-embedding-3-small', 0.01],
    ['text-embedding-3-large', 0.065],
    ['text-embedding-ada-002', 0.05],
    ['whisper-1', 15],
    ['tts-1', 7.5],
    ['tts-1-hd', 15],
    ['claude-3-haiku-20240307', 0.125],
    ['claude-3-5-haiku-20241022', 0.5],
    ['claude-3-5-sonnet-20241022', 1.5],
    ['claude-3-7-sonnet-20250219', 1.5],
    ['claude-sonnet-4-20250514', 1.5],
    ['claude-opus-4-20250514', 7.5],
    ['claude-opus-4-1-20250805', 7.5],
    ['claude-opus-4-5-20251101', 2.5],
    ['claude-opus-4-6', 2.5],
    ['claude-opus-4-7', 2.5],
    ['gemini-2.0-flash', 0.05],
    ['gemini-2.5-flash', 0.15],
    ['gemini-2.5-pro', 0.625],
    ['deepseek-chat', 0.135],
    ['deepseek-reasoner', 0.275],
    ['command-r', 0.25],
    ['glm-4', 7.143],
    ['qwen-turbo', 0.8572],
  ])('reference §3.6: %s = %d', (model, ratio) => {
    expect(DEFAULT_MODEL_RATIO[model]).toBeCloseTo(ratio, 12);
  });

  it('ERNIE-4.0-8K is 0.12 × RMB', () => {
    expect(DEFAULT_MODEL_RATIO['ERNIE-4.0-8K']).toBeCloseTo((0.12 * 500) / 7.3, 10);
  });

  it('per-call prices (§3.3)', () => {
    expect(DEFAULT_MODEL_PRICE).toMatchObject({
      suno_music: 0.1,
      suno_lyrics: 0.01,
      'dall-e-3': 0.04,
      'gpt-4-gizmo-*': 0.1,
      mj_imagine: 0.1,
      mj_video: 0.8,
      mj_describe: 0.05,
      mj_inpaint: 0,
      'sora-2': 0.3,
      'sora-2-pro': 0.5,
    });
  });

  it('completion-ratio option defaults and groups', () => {
    expect(DEFAULT_COMPLETION_RATIO).toEqual({ 'gpt-4-gizmo-*': 2, 'gpt-4o-gizmo-*': 3, 'gpt-4-all': 2, 'gpt-image-1': 8 });
    expect(DEFAULT_GROUP_RATIO).toEqual({ default: 1, vip: 1, svip: 1 });
    expect(Object.keys(DEFAULT_USER_USABLE_GROUPS)).toEqual(['default', 'vip']);
  });
});

describe('formatMatchingModelName', () => {
  it.each([
    ['gpt-4-gizmo-g-abc123', 'gpt-4-gizmo-*'],
    ['gpt-4-gizmo', 'gpt-4-gizmo-*'],
    ['gpt-4o-gizmo-g-xyz', 'gpt-4o-gizmo-*'],
    ['gemini-2.5-flash-thinking-1024', 'gemini-2.5-flash-thinking-*'],
    ['gemini-2.5-pro-thinking-32768', 'gemini-2.5-pro-thinking-*'],
    ['gemini-2.5-flash-lite-thinking-512', 'gemini-2.5-flash-lite-thinking-*'],
    ['gemini-2.5-flash', 'gemini-2.5-flash'],
    ['gemini-2.5-flash-preview-04-17-thinking', 'gemini-2.5-flash-preview-04-17-thinking'],
    ['gpt-4o', 'gpt-4o'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet-20241022'],
  ])('%s → %s', (name, expected) => {
    expect(formatMatchingModelName(name)).toBe(expected);
  });
});

describe('lookupModelRatio', () => {
  it('finds listed models', () => {
    expect(lookupModelRatio(DEFAULT_MODEL_RATIO, 'gpt-4o')).toEqual({ ratio: 1.25, found: true });
  });
  it('normalizes gizmo and thinking names first', () => {
    expect(lookupModelRatio(DEFAULT_MODEL_RATIO, 'gpt-4-gizmo-g-123')).toEqual({ ratio: 15, found: true });
    expect(lookupModelRatio(DEFAULT_MODEL_RATIO, 'gemini-2.5-flash-thinking-2048')).toEqual({ ratio: 0.075, found: true });
  });
  it('missing → 37.5, found only in self-use mode', () => {
    expect(lookupModelRatio(DEFAULT_MODEL_RATIO, 'no-such-model')).toEqual({ ratio: MISSING_MODEL_RATIO, found: false });
    expect(lookupModelRatio(DEFAULT_MODEL_RATIO, 'no-such-model', true)).toEqual({ ratio: 37.5, found: true });
  });
  it('does not resolve Object.prototype keys', () => {
    expect(lookupModelRatio({}, 'constructor').found).toBe(false);
    expect(lookupModelRatio({}, '__proto__').found).toBe(false);
  });
  it('a zero ratio counts as found (free model)', () => {
    expect(lookupModelRatio(DEFAULT_MODEL_RATIO, 'glm-4-flash')).toEqual({ ratio: 0, found: true });
  });
});

describe('lookupModelPrice', () => {
  it('normalizes, and 0 is a real price', () => {
    expect(lookupModelPrice(DEFAULT_MODEL_PRICE, 'gpt-4-gizmo-g-1')).toEqual({ price: 0.1, found: true });
    expect(lookupModelPrice(DEFAULT_MODEL_PRICE, 'mj_inpaint')).toEqual({ price: 0, found: true });
    expect(lookupModelPrice(DEFAULT_MODEL_PRICE, 'gpt-4o')).toEqual({ price: -1, found: false });
  });
});

describe('hardcoded completion ratios ([latest])', () => {
  it.each([
    // name, ratio, locked
    ['gpt-4o', 4, false],
    ['gpt-4o-2024-08-06', 4, false],
    ['gpt-4o-mini', 4, false],
    ['gpt-4o-2024-05-13', 3, true],
    ['gpt-4o-mini-tts', 20, false],
    ['gpt-5', 8, true],
    ['gpt-5-mini', 8, true],
    ['gpt-5-nano-2025-08-07', 8, true],
    ['gpt-5-codex', 8, true],
    ['gpt-5.1', 8, true],
    ['gpt-5.2-pro', 8, true],
    ['gpt-5.3-codex', 8, true],
    ['gpt-5.4', 6, true],
    ['gpt-5.4-mini', 6, true],
    ['gpt-5.4-nano', 6.25, true],
    ['gpt-5.5', 6, false],
    ['gpt-5.6-sol', 6, false],
    ['gpt-4-turbo', 3, true],
    ['gpt-4-turbo-2024-04-09', 3, true],
    ['gpt-4.5-preview', 2, true],
    ['gpt-4', 2, false],
    ['gpt-4.1', 2, false],
    ['gpt-4.1-nano', 2, false],
    ['gpt-4-0613', 2, false],
    ['gpt-4-all', 2, false],
    ['gpt-4-gizmo-*', 2, false],
    ['o1', 4, true],
    ['o1-mini', 4, true],
    ['o3-mini-high', 4, true],
    ['o3', 4, true],
    ['o4-mini', 1, false],
    ['chatgpt-4o-latest', 3, true],
    ['claude-3-5-sonnet-20241022', 5, true],
    ['claude-3-haiku-20240307', 5, true],
    ['claude-sonnet-4-20250514', 5, true],
    ['claude-opus-4-1-20250805', 5, true],
    ['claude-haiku-4-5-20251001', 5, true],
    ['anthropic/claude-3-opus', 5, true],
    ['gpt-3.5-turbo', 3, true],
    ['gpt-3.5-turbo-0125', 3, true],
    ['gpt-3.5-turbo-1106', 2, true],
    ['gpt-3.5-turbo-0613', 4 / 3, true],
    ['gpt-3.5-turbo-16k', 4 / 3, true],
    ['mistral-large-latest', 3, true],
    ['gemini-1.5-pro-latest', 4, true],
    ['gemini-2.0-flash', 4, true],
    ['gemini-2.5-pro', 8, false],
    ['gemini-2.5-pro-preview-03-25', 8, false],
    ['gemini-2.5-flash', 2.5 / 0.3, false],
    ['gemini-2.5-flash-thinking-*', 2.5 / 0.3, false],
    ['gemini-2.5-flash-preview-04-17', 3.5 / 0.15, false],
    ['gemini-2.5-flash-preview-04-17-nothinking', 4, false],
    ['gemini-2.5-flash-lite-preview-06-17', 4, false],
    ['gemini-3-pro-preview', 6, false],
    ['gemini-3-pro-image-preview', 60, false],
    ['gemini-1.0-pro', 4, false],
    ['command-r', 3, true],
    ['command-r-plus', 5, true],
    ['command-r-08-2024', 4, true],
    ['command-r-plus-08-2024', 4, true],
    ['command-light', 4, false],
    ['ERNIE-Speed-128K', 2, true],
    ['ERNIE-Lite-8K-0922', 2, true],
    ['ERNIE-Character-8K', 2, true],
    ['ERNIE-Functions-8K', 2, true],
    ['ERNIE-4.0-8K', 1, false],
    ['llama3-8b-8192', 2, true],
    ['llama3-70b-8192', 0.79 / 0.59, true],
    ['llama2-70b-4096', 0.8 / 0.64, true],
    // [latest] dropped the v25.04 "deepseek-chat/reasoner = 4 locked" rule.
    ['deepseek-chat', 1, false],
    ['deepseek-reasoner', 1, false],
    ['some-unknown-model', 1, false],
  ] as const)('%s → %d (locked %s)', (name, ratio, locked) => {
    const info = hardcodedCompletionRatio(name);
    expect(info.ratio).toBeCloseTo(ratio, 12);
    expect(info.locked).toBe(locked);
  });
});

describe('completionRatio precedence', () => {
  const option = {
    ...DEFAULT_COMPLETION_RATIO,
    'gpt-4o': 10, // unlocked rule → option wins
    'gpt-3.5-turbo': 10, // locked rule → ignored
    'deepseek-chat': 4, // no rule → option wins
    'vendor/claude-3-opus': 7, // "/" names: option first, even over a locked rule
    'o4-mini': 4,
  };
  it.each([
    ['gpt-4o', 10, false],
    ['gpt-4o-mini', 4, false],
    ['gpt-3.5-turbo', 3, true],
    ['deepseek-chat', 4, false],
    ['deepseek-reasoner', 1, false],
    ['vendor/claude-3-opus', 7, false],
    ['other/claude-3-opus', 5, true],
    ['o4-mini', 4, false],
    ['gpt-image-1', 8, false],
    ['gpt-4-gizmo-g-abc', 2, false],
    ['gpt-4o-gizmo-g-abc', 3, false],
    ['gpt-5.5', 6, false],
  ] as const)('%s → %d (locked %s)', (name, ratio, locked) => {
    expect(completionRatioInfo(option, name)).toEqual({ ratio, locked });
    expect(completionRatio(option, name)).toBe(ratio);
  });

  it('an operator override of gpt-5.5 applies, of gpt-5.4 does not', () => {
    expect(completionRatio({ 'gpt-5.5': 7 }, 'gpt-5.5')).toBe(7);
    expect(completionRatio({ 'gpt-5.4': 7 }, 'gpt-5.4')).toBe(6);
  });
});

describe('cache, image and group ratios', () => {
  it('cache ratio defaults to 1, exact names only', () => {
    expect(cacheRatio(DEFAULT_CACHE_RATIO, 'gpt-4o')).toBe(0.5);
    expect(cacheRatio(DEFAULT_CACHE_RATIO, 'gpt-4.1')).toBe(0.25);
    expect(cacheRatio(DEFAULT_CACHE_RATIO, 'gpt-5')).toBe(0.1);
    expect(cacheRatio(DEFAULT_CACHE_RATIO, 'deepseek-chat')).toBe(0.25);
    expect(cacheRatio(DEFAULT_CACHE_RATIO, 'claude-3-5-sonnet-20241022')).toBe(0.1);
    expect(cacheRatio(DEFAULT_CACHE_RATIO, 'unknown')).toBe(1);
  });
  it('cache-creation ratio defaults to 1.25; 1h = ×1.6', () => {
    expect(createCacheRatio(DEFAULT_CREATE_CACHE_RATIO, 'claude-sonnet-4-20250514')).toBe(1.25);
    expect(createCacheRatio(DEFAULT_CREATE_CACHE_RATIO, 'gpt-4o')).toBe(1.25);
    expect(createCacheRatio({ x: 2 }, 'x')).toBe(2);
    expect(createCacheRatio1h(1.25)).toBeCloseTo(2, 12);
  });
  it('image ratio defaults to 1', () => {
    expect(imageRatio(DEFAULT_RATIO_TABLES.imageRatio, 'gpt-image-1')).toBe(2);
    expect(imageRatio(DEFAULT_RATIO_TABLES.imageRatio, 'gpt-4o')).toBe(1);
  });
  it('group ratio: missing → 1, zero respected', () => {
    expect(groupRatio({ default: 1, vip: 0.5, free: 0 }, 'vip')).toBe(0.5);
    expect(groupRatio({ default: 1, vip: 0.5, free: 0 }, 'free')).toBe(0);
    expect(groupRatio({ default: 1 }, 'nope')).toBe(1);
  });
  it('GroupGroupRatio overrides a user-group/using-group pair', () => {
    const gr = { default: 1, vip: 0.8, svip: 0.6 };
    const gg = { vip: { svip: 0.5 } };
    expect(effectiveGroupRatio(gr, gg, 'vip', 'svip')).toBe(0.5);
    expect(effectiveGroupRatio(gr, gg, 'vip', 'vip')).toBe(0.8);
    expect(effectiveGroupRatio(gr, gg, 'default', 'svip')).toBe(0.6);
    expect(effectiveGroupRatio(gr, undefined, 'vip', 'svip')).toBe(0.6);
  });
});

describe('resolvePricing', () => {
  it('ratio-mode model', () => {
    expect(resolvePricing(DEFAULT_RATIO_TABLES, 'claude-3-5-sonnet-20241022', { group: 'default' })).toEqual({
      matchedName: 'claude-3-5-sonnet-20241022',
      usePrice: false,
      modelPrice: 0,
      modelRatio: 1.5,
      found: true,
      completionRatio: 5,
      completionRatioLocked: true,
      cacheRatio: 0.1,
      cacheCreationRatio: 1.25,
      cacheCreation1hRatio: createCacheRatio1h(1.25),
      imageRatio: 1,
      groupRatio: 1,
    });
  });
  it('price-mode model', () => {
    const p = resolvePricing(DEFAULT_RATIO_TABLES, 'mj_imagine', { group: 'vip' });
    expect(p).toMatchObject({ usePrice: true, modelPrice: 0.1, modelRatio: 0, found: true, groupRatio: 1 });
  });
  it('unknown model is not found unless self-use mode', () => {
    expect(resolvePricing(DEFAULT_RATIO_TABLES, 'mystery', { group: 'default' })).toMatchObject({ found: false, modelRatio: 37.5 });
    expect(resolvePricing(DEFAULT_RATIO_TABLES, 'mystery', { group: 'default', selfUseMode: true })).toMatchObject({ found: true });
  });
});

describe('audioCompletionRatio', () => {
  it('falls back to the longest default key the model name starts with', () => {
    const ratios = { 'gpt-4o-realtime': 2, 'gpt-4o-mini-realtime': 3, 'gpt-4o-mini-tts': 1 };
    expect(audioCompletionRatio(ratios, 'gpt-4o-realtime-preview')).toBe(2);
    expect(audioCompletionRatio(ratios, 'gpt-4o-mini-realtime-preview-2024-12-17')).toBe(3);
    expect(audioCompletionRatio(ratios, 'gpt-4o-mini-tts')).toBe(1);
    expect(audioCompletionRatio(ratios, 'whisper-1')).toBe(1);
  });
});
