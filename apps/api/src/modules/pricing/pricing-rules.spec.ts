import { DEFAULT_RATIO_TABLES, type RatioTables } from '@your-api/billing-math';
import { ChannelType, QuotaType } from '@your-api/contracts';
import { buildPricing, endpointTypesOf, pricingRequiresLogin } from './pricing-rules';

const tables: RatioTables = {
  ...DEFAULT_RATIO_TABLES,
  modelRatio: { 'gpt-4o': 1.25, 'claude-3-haiku': 0.125 },
  modelPrice: { 'mj-imagine': 0.1 },
  completionRatio: { 'gpt-4o': 4 },
};

describe('buildPricing', () => {
  it('lists each offered model once, sorted, with its groups and owner', () => {
    const rows = buildPricing(
      [
        { model: 'gpt-4o', group: 'vip', channelType: ChannelType.OpenAI },
        { model: 'claude-3-haiku', group: 'default', channelType: ChannelType.Anthropic },
        { model: 'gpt-4o', group: 'default', channelType: ChannelType.OpenAI },
        { model: 'gpt-4o', group: 'default', channelType: ChannelType.Azure },
      ],
      tables,
      false,
    );
    expect(rows.map((r) => r.model_name)).toEqual(['claude-3-haiku', 'gpt-4o']);
    expect(rows[1]).toEqual({
      model_name: 'gpt-4o',
      quota_type: QuotaType.Ratio,
      model_ratio: 1.25,
      model_price: 0,
      completion_ratio: 4,
      enable_groups: ['default', 'vip'],
      owner_by: 'openai',
      supported_endpoint_types: ['openai'],
    });
    expect(rows[0].owner_by).toBe('anthropic');
    expect(rows[0].supported_endpoint_types).toEqual(['anthropic', 'openai']);
  });

  it('bills per call when ModelPrice names the model', () => {
    const [row] = buildPricing([{ model: 'mj-imagine', group: 'default', channelType: ChannelType.Midjourney }], tables, false);
    expect(row.quota_type).toBe(QuotaType.PerCall);
    expect(row.model_price).toBe(0.1);
  });

  it('gives an unpriced model the missing-model ratio', () => {
    const [row] = buildPricing([{ model: 'mystery-model', group: 'default', channelType: ChannelType.OpenAI }], tables, false);
    expect(row.quota_type).toBe(QuotaType.Ratio);
    expect(row.model_ratio).toBe(37.5);
  });
});

describe('endpointTypesOf', () => {
  it('offers the native protocol first for Gemini', () => {
    expect(endpointTypesOf(ChannelType.Gemini)).toEqual(['gemini', 'openai']);
    expect(endpointTypesOf(ChannelType.DeepSeek)).toEqual(['openai']);
  });
});

describe('pricingRequiresLogin', () => {
  it('is off unless HeaderNavModules.pricing.requireAuth is true', () => {
    expect(pricingRequiresLogin('')).toBe(false);
    expect(pricingRequiresLogin('not json')).toBe(false);
    expect(pricingRequiresLogin('{"pricing":true}')).toBe(false);
    expect(pricingRequiresLogin('{"pricing":{"enabled":true,"requireAuth":false}}')).toBe(false);
    expect(pricingRequiresLogin('{"pricing":{"enabled":true,"requireAuth":true}}')).toBe(true);
  });
});
