import {
  DEFAULT_RATIO_TABLES,
  MAX_QUOTA,
  QUOTA_PER_UNIT,
  TextQuotaInput,
  audioQuota,
  imagePriceRatio,
  lookupModelPrice,
  maxAffordableCompletionTokens,
  preConsumeQuota,
  priceQuota,
  quotaToUsd,
  resolvePricing,
  settleDelta,
  textQuota,
  toolSurchargeQuota,
  usdToQuota,
  worstCaseQuota,
} from './index';

/** Ratio-mode inputs with neutral defaults, so each case states only what it is about. */
function text(over: Partial<TextQuotaInput>): TextQuotaInput {
  return {
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    anthropicSemantics: false,
    modelRatio: 1,
    completionRatio: 1,
    cacheRatio: 1,
    cacheCreationRatio: 1.25,
    groupRatio: 1,
    ...over,
  };
}

/** Builds textQuota input for `model` from the default tables, as the relay would. */
function fromDefaults(model: string, group: string, usage: Partial<TextQuotaInput>, groupRatios?: Record<string, number>) {
  const tables = groupRatios ? { ...DEFAULT_RATIO_TABLES, groupRatio: groupRatios } : DEFAULT_RATIO_TABLES;
  const p = resolvePricing(tables, model, { group });
  return text({
    modelRatio: p.modelRatio,
    completionRatio: p.completionRatio,
    cacheRatio: p.cacheRatio,
    cacheCreationRatio: p.cacheCreationRatio,
    groupRatio: p.groupRatio,
    imageRatio: p.imageRatio,
    ...usage,
  });
}

describe('reference §3.4 worked examples (group ratio 1, QuotaPerUnit 500000)', () => {
  const cases: Array<{ name: string; model: string; usage: Partial<TextQuotaInput>; quota: number; vip: number }> = [
    {
      name: 'gpt-4o 1000 prompt + 500 completion: (1000 + 2000) × 1.25',
      model: 'gpt-4o',
      usage: { promptTokens: 1000, completionTokens: 500 },
      quota: 3750,
      vip: 1875,
    },
    {
      name: 'gpt-4o 1000 prompt incl. 400 cached + 100 completion: (600 + 200 + 400) × 1.25',
      model: 'gpt-4o',
      usage: { promptTokens: 1000, cachedTokens: 400, completionTokens: 100 },
      quota: 1500,
      vip: 750,
    },
    {
      name: 'gpt-3.5-turbo 1000 + 1000, completion 3 locked: (1000 + 3000) × 0.25',
      model: 'gpt-3.5-turbo',
      usage: { promptTokens: 1000, completionTokens: 1000 },
      quota: 1000,
      vip: 500,
    },
    {
      name: 'claude-3-5-sonnet via /v1/messages: (1000 + 200 + 625 + 500) × 1.5 = 3487.5',
      model: 'claude-3-5-sonnet-20241022',
      usage: {
        anthropicSemantics: true,
        promptTokens: 1000,
        cachedTokens: 2000,
        cacheWriteTokens: 500,
        completionTokens: 100,
      },
      quota: 3488,
      vip: 1744, // 1743.75
    },
  ];

  it.each(cases)('$name → $quota', ({ model, usage, quota }) => {
    expect(textQuota(fromDefaults(model, 'default', usage))).toBe(quota);
  });

  it.each(cases)('$name, group vip at 0.5 → $vip', ({ model, usage, vip }) => {
    expect(textQuota(fromDefaults(model, 'vip', usage, { default: 1, vip: 0.5 }))).toBe(vip);
  });

  it('dall-e-3 n=1 1024×1792 hd: 0.04 × 2 × 1.5 × 500000 = 60000', () => {
    const { price, found } = lookupModelPrice(DEFAULT_RATIO_TABLES.modelPrice, 'dall-e-3');
    expect(found).toBe(true);
    const ratio = imagePriceRatio('dall-e-3', '1024x1792', 'hd');
    expect(ratio).toBe(3);
    // Both the pre-multiplied form and the explicit "other ratios" form give the same quota.
    expect(priceQuota({ modelPrice: price * ratio, groupRatio: 1, otherRatios: { n: 1 } })).toBe(60000);
    expect(priceQuota({ modelPrice: price, groupRatio: 1, otherRatios: { size: ratio, n: 1 } })).toBe(60000);
    expect(priceQuota({ modelPrice: price * ratio, groupRatio: 0.5, otherRatios: { n: 1 } })).toBe(30000);
  });

  it('mj_imagine: 0.1 × 500000 = 50000 (vip 0.5 → 25000)', () => {
    const { price } = lookupModelPrice(DEFAULT_RATIO_TABLES.modelPrice, 'mj_imagine');
    expect(priceQuota({ modelPrice: price, groupRatio: 1 })).toBe(50000);
    expect(priceQuota({ modelPrice: price, groupRatio: 0.5 })).toBe(25000);
  });

  it('3750 quota is $0.0075', () => {
    expect(quotaToUsd(3750)).toBeCloseTo(0.0075, 12);
    expect(usdToQuota(0.0075)).toBe(3750);
  });
});

describe('textQuota rounding and limits', () => {
  it.each([
    { name: 'x.5 rounds up (half away from zero)', over: { promptTokens: 1, modelRatio: 0.5 }, quota: 1 },
    { name: '2.5 rounds to 3, not banker’s 2', over: { promptTokens: 5, modelRatio: 0.5 }, quota: 3 },
    { name: '2.4 rounds down', over: { promptTokens: 24, modelRatio: 0.1 }, quota: 2 },
    {
      name: 'exact decimal: 600 × 0.075 × 0.7 = 31.5 → 32 (float math gives 31.4999…)',
      over: { promptTokens: 600, modelRatio: 0.075, groupRatio: 0.7 },
      quota: 32,
    },
    {
      name: 'exact decimal: 2300 × 0.15 × 0.7 = 241.5 → 242',
      over: { promptTokens: 2300, modelRatio: 0.15, groupRatio: 0.7 },
      quota: 242,
    },
    { name: 'tiny cost still bills 1', over: { promptTokens: 1, modelRatio: 0.001 }, quota: 1 },
    { name: 'zero tokens bill 0', over: { modelRatio: 37.5 }, quota: 0 },
    { name: 'free model bills 0', over: { promptTokens: 1000, completionTokens: 1000, modelRatio: 0 }, quota: 0 },
    {
      name: 'group ratio 0 bills 0',
      over: { promptTokens: 1000, completionTokens: 1000, modelRatio: 1, groupRatio: 0 },
      quota: 0,
    },
    {
      name: 'clamped to MAX_QUOTA',
      over: { promptTokens: 2_000_000_000, completionTokens: 2_000_000_000, modelRatio: 75, completionRatio: 4 },
      quota: MAX_QUOTA,
    },
    {
      name: 'negative/NaN/fractional token counts are sanitized',
      over: { promptTokens: -5, completionTokens: 10.9, cachedTokens: Number.NaN, modelRatio: 1 },
      quota: 10,
    },
    {
      name: 'OpenAI semantics: base floored at 0 when cached > prompt',
      over: { promptTokens: 100, cachedTokens: 300, cacheRatio: 0.5, modelRatio: 1 },
      quota: 150,
    },
    {
      name: 'OpenAI semantics: cache writes are inside the prompt',
      over: { promptTokens: 1000, cacheWriteTokens: 200, cacheCreationRatio: 1.25, modelRatio: 2 },
      quota: (800 + 250) * 2,
    },
    {
      name: 'Claude 1-hour cache writes at ratio × 1.6',
      over: {
        anthropicSemantics: true,
        promptTokens: 100,
        cacheWriteTokens: 1000,
        cacheWrite1hTokens: 400,
        cacheCreationRatio: 1.25,
        modelRatio: 1,
      },
      quota: 100 + 600 * 1.25 + 400 * 2,
    },
    {
      name: 'explicit 1-hour ratio wins',
      over: {
        anthropicSemantics: true,
        promptTokens: 0,
        completionTokens: 1,
        cacheWriteTokens: 100,
        cacheWrite1hTokens: 100,
        cacheCreation1hRatio: 3,
        modelRatio: 1,
      },
      quota: 301,
    },
    {
      name: 'image tokens at image ratio (gpt-image-1: 1000 text-in + 500 image-in + 100 out)',
      over: { promptTokens: 1500, imageTokens: 500, imageRatio: 2, completionTokens: 100, completionRatio: 8, modelRatio: 2.5 },
      quota: (1000 + 1000 + 800) * 2.5,
    },
    {
      name: 'other ratios multiply',
      over: { promptTokens: 1000, modelRatio: 1, otherRatios: { a: 2, b: 0.5, c: 3 } },
      quota: 3000,
    },
  ])('$name', ({ over, quota }) => {
    expect(textQuota(text(over))).toBe(quota);
  });

  it('tool surcharges: web_search $10/1K calls × 1 call = 5000, even with zero tokens', () => {
    const s = [{ usdPerThousandCalls: 10, calls: 1 }];
    expect(toolSurchargeQuota(s, 1)).toBe(5000);
    expect(textQuota(text({ toolSurcharges: s }))).toBe(5000);
    expect(textQuota(text({ promptTokens: 1000, modelRatio: 1, groupRatio: 0.5, toolSurcharges: s }))).toBe(500 + 2500);
    expect(toolSurchargeQuota([{ usdPerThousandCalls: 2.5, calls: 3 }], 1)).toBe(3750);
  });
});

describe('priceQuota', () => {
  it.each<{ modelPrice: number; groupRatio: number; otherRatios: Record<string, number> | undefined; quota: number }>([
    { modelPrice: 0.1, groupRatio: 1, otherRatios: { n: 4 }, quota: 200000 },
    { modelPrice: 0.04, groupRatio: 1, otherRatios: { n: 1, size: 0.45 }, quota: 9000 },
    { modelPrice: 0.01, groupRatio: 0.3, otherRatios: undefined, quota: 1500 },
    { modelPrice: 0, groupRatio: 1, otherRatios: undefined, quota: 0 },
    { modelPrice: 0.000000001, groupRatio: 1, otherRatios: undefined, quota: 1 },
    { modelPrice: 1e6, groupRatio: 1, otherRatios: undefined, quota: MAX_QUOTA },
  ])('$modelPrice × $groupRatio × $otherRatios → $quota', ({ modelPrice, groupRatio, otherRatios, quota }) => {
    expect(priceQuota({ modelPrice, groupRatio, otherRatios })).toBe(quota);
  });

  it('honours a custom QuotaPerUnit', () => {
    expect(priceQuota({ modelPrice: 0.1, groupRatio: 1, quotaPerUnit: 1000 })).toBe(100);
  });
});

describe('imagePriceRatio', () => {
  it.each([
    ['dall-e-2', '256x256', undefined, 0.4],
    ['dall-e-2', '512x512', undefined, 0.45],
    ['dall-e-2', '1024x1024', undefined, 1],
    ['dall-e-3', '1024x1024', 'standard', 1],
    ['dall-e-3', '1024x1024', 'hd', 2],
    ['dall-e-3', '1792x1024', 'standard', 2],
    ['dall-e-3', '1792x1024', 'hd', 3],
    ['dall-e-3', '1024x1792', 'hd', 3],
    ['dall-e-2', '1024x1024', 'hd', 1],
    ['dall-e-3', undefined, undefined, 1],
    ['gpt-image-1', '1024x1792', 'hd', 1],
  ] as const)('%s %s %s → %d', (model, size, quality, ratio) => {
    expect(imagePriceRatio(model, size, quality)).toBe(ratio);
  });
});

describe('audioQuota', () => {
  it('gpt-4o-realtime style mix', () => {
    // (100 + 50×4 + 200×8 + 100×8×2) × 2.5 = (100 + 200 + 1600 + 1600) × 2.5
    expect(
      audioQuota({
        textInputTokens: 100,
        textOutputTokens: 50,
        audioInputTokens: 200,
        audioOutputTokens: 100,
        modelRatio: 2.5,
        completionRatio: 4,
        audioRatio: 8,
        audioCompletionRatio: 2,
        groupRatio: 1,
      }),
    ).toBe(8750);
  });
  it('minimum 1 and zero-usage 0', () => {
    const base = { textOutputTokens: 0, audioInputTokens: 0, audioOutputTokens: 0, completionRatio: 1, audioRatio: 1, audioCompletionRatio: 1, groupRatio: 1 };
    expect(audioQuota({ ...base, textInputTokens: 1, modelRatio: 0.0001 })).toBe(1);
    expect(audioQuota({ ...base, textInputTokens: 0, modelRatio: 1 })).toBe(0);
  });
});

describe('preConsumeQuota', () => {
  it.each([
    { name: 'small prompt padded to PreConsumedQuota', promptTokens: 100, maxTokens: 0, modelRatio: 1.25, groupRatio: 1, quota: 625 },
    { name: 'prompt + max_tokens', promptTokens: 1000, maxTokens: 500, modelRatio: 1.25, groupRatio: 1, quota: 1875 },
    { name: 'padding applies before adding max_tokens', promptTokens: 10, maxTokens: 100, modelRatio: 1, groupRatio: 1, quota: 600 },
    { name: 'truncates: 500 × 0.075 = 37.5 → 37', promptTokens: 0, maxTokens: 0, modelRatio: 0.075, groupRatio: 1, quota: 37 },
    { name: 'group ratio applies', promptTokens: 2000, maxTokens: 0, modelRatio: 1, groupRatio: 0.5, quota: 1000 },
    { name: 'free model pre-consumes nothing', promptTokens: 2000, maxTokens: 4000, modelRatio: 0, groupRatio: 1, quota: 0 },
  ])('$name → $quota', ({ promptTokens, maxTokens, modelRatio, groupRatio, quota }) => {
    expect(preConsumeQuota({ promptTokens, maxTokens, modelRatio, groupRatio })).toBe(quota);
  });

  it('honours a custom PreConsumedQuota option', () => {
    expect(preConsumeQuota({ promptTokens: 10, preConsumedQuotaOption: 0, modelRatio: 1, groupRatio: 1 })).toBe(10);
    expect(preConsumeQuota({ promptTokens: 10, preConsumedQuotaOption: 2000, modelRatio: 1, groupRatio: 1 })).toBe(2000);
  });

  it('settleDelta: positive charges more, negative refunds', () => {
    expect(settleDelta(3750, 625)).toBe(3125);
    expect(settleDelta(0, 625)).toBe(-625);
    expect(settleDelta(625, 625)).toBe(0);
  });
});

describe('worst case and affordable max_tokens', () => {
  const gpt4o = { modelRatio: 1.25, completionRatio: 4, groupRatio: 1 };

  it('worstCaseQuota = textQuota(prompt, max_tokens)', () => {
    expect(worstCaseQuota({ ...gpt4o, promptTokens: 1000, maxTokens: 500 })).toBe(3750);
    expect(worstCaseQuota({ ...gpt4o, promptTokens: 0, maxTokens: 0 })).toBe(0);
  });

  it('worked cases', () => {
    // 1000 prompt costs 1250; each completion token costs 5 → (10000 − 1250) / 5 = 1750.
    expect(maxAffordableCompletionTokens(10000, 1000, gpt4o)).toBe(1750);
    expect(maxAffordableCompletionTokens(10004, 1000, gpt4o)).toBe(1750);
    expect(maxAffordableCompletionTokens(1250, 1000, gpt4o)).toBe(0);
    expect(maxAffordableCompletionTokens(1249, 1000, gpt4o)).toBe(-1);
    expect(maxAffordableCompletionTokens(0, 0, gpt4o)).toBe(0);
    // With a wanted max_tokens: that, when it fits; otherwise the largest that does.
    expect(maxAffordableCompletionTokens(10000, 1000, gpt4o, 500)).toBe(500);
    expect(maxAffordableCompletionTokens(10000, 1000, gpt4o, 5000)).toBe(1750);
    expect(maxAffordableCompletionTokens(1249, 1000, gpt4o, 0)).toBe(-1);
    expect(maxAffordableCompletionTokens(100, 10, { modelRatio: 1, completionRatio: 0, groupRatio: 1 }, 64)).toBe(64);
  });

  it('infinite when completion is free or the budget exceeds every clamped quota', () => {
    expect(maxAffordableCompletionTokens(100, 10, { modelRatio: 0, completionRatio: 4, groupRatio: 1 })).toBe(Infinity);
    expect(maxAffordableCompletionTokens(100, 10, { modelRatio: 1, completionRatio: 0, groupRatio: 1 })).toBe(Infinity);
    expect(maxAffordableCompletionTokens(MAX_QUOTA, 10, gpt4o)).toBe(Infinity);
    expect(maxAffordableCompletionTokens(5, 10, { modelRatio: 1, completionRatio: 0, groupRatio: 1 })).toBe(-1);
  });

  it('rounding: the cap uses the same half-away rounding as settlement', () => {
    // prompt 0; each token costs 0.3 → m tokens cost round(0.3m) (min 1 once m>0).
    const r = { modelRatio: 0.3, completionRatio: 1, groupRatio: 1 };
    // round(0.3 × 11) = round(3.3) = 3; round(0.3 × 12) = round(3.6) = 4.
    expect(maxAffordableCompletionTokens(3, 0, r)).toBe(11);
  });

  /** Deterministic PRNG so a failure is reproducible. */
  function mulberry32(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('property: worstCase(cap) ≤ remaining < worstCase(cap + 1)', () => {
    const rnd = mulberry32(20240501);
    const modelRatios = [0.025, 0.075, 0.125, 0.135, 0.15, 0.275, 0.55, 0.625, 1, 1.25, 1.5, 2.5, 7.5, 15, 37.5, 75];
    const completionRatios = [1, 4 / 3, 2, 3, 4, 5, 6, 6.25, 8, 2.5 / 0.3, 3.5 / 0.15, 20];
    const groupRatios = [0.1, 0.5, 0.7, 0.9, 1, 1.5, 3];
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const ratios = {
        modelRatio: modelRatios[Math.floor(rnd() * modelRatios.length)],
        completionRatio: completionRatios[Math.floor(rnd() * completionRatios.length)],
        groupRatio: groupRatios[Math.floor(rnd() * groupRatios.length)],
      };
      const prompt = Math.floor(rnd() * 20000);
      const remaining = Math.floor(rnd() ** 3 * 5_000_000);
      const cap = maxAffordableCompletionTokens(remaining, prompt, ratios);
      const cost = (m: number) => worstCaseQuota({ ...ratios, promptTokens: prompt, maxTokens: m });
      const wanted = Math.floor(rnd() * 8000);
      expect(maxAffordableCompletionTokens(remaining, prompt, ratios, wanted)).toBe(cap === -1 ? -1 : Math.min(cap, wanted));
      if (cap === -1) {
        expect(cost(0)).toBeGreaterThan(remaining);
        continue;
      }
      expect(Number.isSafeInteger(cap)).toBe(true);
      expect(cost(cap)).toBeLessThanOrEqual(remaining);
      expect(cost(cap + 1)).toBeGreaterThan(remaining);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });
});

describe('USD conversion', () => {
  it.each([
    [1, 500000],
    [0.002, 1000],
    [10, 5_000_000],
    [0.0000011, 1], // 0.55 → 1 (half away from zero)
    [0.000001, 1], // 0.5 → 1
    [0.0000009, 0], // 0.45 → 0
  ])('$%d → %d quota', (usd, quota) => {
    expect(usdToQuota(usd)).toBe(quota);
  });

  it('quotaToUsd uses QuotaPerUnit', () => {
    expect(quotaToUsd(QUOTA_PER_UNIT)).toBe(1);
    expect(quotaToUsd(1000, 1000)).toBe(1);
  });
});
