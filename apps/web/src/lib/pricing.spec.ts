import { QuotaType, type PricingModelView } from '@your-api/contracts';
import { exampleRequest, formatUsd, modelDetailPath, modelNameFromSegments, modelPrice } from './pricing';

function model(fields: Partial<PricingModelView>): PricingModelView {
  return {
    model_name: 'm',
    quota_type: QuotaType.Ratio,
    model_ratio: 1,
    model_price: 0,
    completion_ratio: 1,
    enable_groups: ['default'],
    owner_by: '',
    supported_endpoint_types: [],
    ...fields,
  } as PricingModelView;
}

describe('modelPrice', () => {
  it('prices a ratio model at ratio × $2 per 1M input tokens, output × completion ratio, scaled by the group', () => {
    expect(modelPrice(model({ model_ratio: 0.075, completion_ratio: 4 }), 1)).toEqual({ perCall: false, input: 0.15, output: 0.6, call: 0 });
    const grouped = modelPrice(model({ model_ratio: 1.25, completion_ratio: 3 }), 0.5);
    expect(grouped.input).toBeCloseTo(1.25);
    expect(grouped.output).toBeCloseTo(3.75);
  });

  it('prices a per-call model at its price times the group ratio', () => {
    expect(modelPrice(model({ quota_type: QuotaType.PerCall, model_price: 0.04, model_ratio: 9 }), 2)).toEqual({ perCall: true, input: 0, output: 0, call: 0.08 });
  });
});

describe('formatUsd', () => {
  it('shows at least two and at most six decimals', () => {
    expect(formatUsd(1.25)).toBe('$1.25');
    expect(formatUsd(0.075)).toBe('$0.075');
    expect(formatUsd(0.0000004)).toBe('$0.00');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
  });
});

describe('model detail paths and examples', () => {
  it('encodes each part of a name and reads it back from the route segments', () => {
    expect(modelDetailPath('gpt-4o mini')).toBe('/pricing/gpt-4o%20mini');
    expect(modelDetailPath('meta/llama-3')).toBe('/pricing/meta/llama-3');
    expect(modelNameFromSegments(['meta', 'llama-3'])).toBe('meta/llama-3');
    expect(modelNameFromSegments(['gpt-4o%20mini'])).toBe('gpt-4o mini');
  });

  it('writes the request in the protocol of the first endpoint type', () => {
    expect(exampleRequest('https://gw.example/', 'gpt-4o', ['openai'])).toContain('curl https://gw.example/v1/chat/completions');
    expect(exampleRequest('https://gw.example', 'claude-x', ['anthropic', 'openai'])).toContain('/v1/messages');
    expect(exampleRequest('https://gw.example', 'gemini-x', ['gemini'])).toContain('/v1beta/models/gemini-x:generateContent');
    expect(exampleRequest('https://gw.example', 'emb', ['embeddings'])).toContain('"input": "Hello!"');
    expect(exampleRequest('https://gw.example', "it's", [])).toContain(`"model": "it'\\''s"`);
  });
});
