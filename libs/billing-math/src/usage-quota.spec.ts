import { DEFAULT_RATIO_TABLES, resolvePricing } from './index';
import { quotaForUsage } from './usage-quota';

const pricing = (model: string) => resolvePricing(DEFAULT_RATIO_TABLES, model, { group: 'default' });
const tokens = (promptTokens: number, completionTokens: number, cachedTokens = 0, cacheWriteTokens = 0) => ({ promptTokens, completionTokens, cachedTokens, cacheWriteTokens });

describe('quotaForUsage', () => {
  it('applies the token formula (newapi-reference §3.4: gpt-4o 1000 + 500 → 3750; 400 cached → 1500)', () => {
    expect(quotaForUsage(pricing('gpt-4o'), tokens(1000, 500), 500000)).toBe(3750);
    expect(quotaForUsage(pricing('gpt-4o'), tokens(1000, 100, 400), 500000)).toBe(1500);
  });
  it('bills a per-call price with other ratios and ignores tokens', () => {
    expect(quotaForUsage(pricing('dall-e-3'), tokens(999, 999), 500000, { n: 1, image_size: 3 })).toBe(60000);
  });
});
