import { QuotaType, type PricingModelView } from '@your-api/contracts';
import { formatUsd, modelPrice } from './pricing';

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
