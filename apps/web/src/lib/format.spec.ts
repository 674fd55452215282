import type { StatusView } from '@your-api/contracts';
import { formatQuota, formatUsdAmount } from './format';

describe('formatUsdAmount', () => {
  it('shows cents for amounts of a dollar or more', () => {
    expect(formatUsdAmount(199.999988)).toBe('$200.00');
    expect(formatUsdAmount(2.5)).toBe('$2.50');
    expect(formatUsdAmount(1234.567)).toBe('$1,234.57');
    expect(formatUsdAmount(0)).toBe('$0.00');
  });

  it('keeps two significant digits of amounts under a dollar, down to a millionth', () => {
    expect(formatUsdAmount(0.000012)).toBe('$0.000012');
    expect(formatUsdAmount(0.0000123456)).toBe('$0.000012');
    expect(formatUsdAmount(0.075)).toBe('$0.075');
    expect(formatUsdAmount(0.15)).toBe('$0.15');
    expect(formatUsdAmount(0.5)).toBe('$0.50');
    expect(formatUsdAmount(0.0000004)).toBe('$0.00');
  });

  it('puts the sign before the dollar sign', () => {
    expect(formatUsdAmount(-0.25)).toBe('-$0.25');
    expect(formatUsdAmount(-0.0000001)).toBe('$0.00');
  });
});

/** The two fields formatQuota reads; the rest of /api/status does not matter here. */
function siteStatus(fields: Record<string, unknown>): StatusView {
  return { quota_per_unit: 500000, ...fields } as unknown as StatusView;
}

describe('formatQuota', () => {
  it('converts quota units to dollars at the site rate', () => {
    expect(formatQuota(99_999_994, null)).toBe('$200.00');
    expect(formatQuota(6, null)).toBe('$0.000012');
    expect(formatQuota(1_000, siteStatus({ quota_per_unit: 1_000 }))).toBe('$1.00');
  });

  it('shows raw units when the site does not display currency', () => {
    expect(formatQuota(1_234_567, siteStatus({ display_in_currency: false }))).toBe('1,234,567');
  });
});
