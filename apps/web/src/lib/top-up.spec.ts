import type { TopUpInfoView } from '@your-api/contracts';
import { discountPercent, minimumAmount, parseAmount, statusBadge } from './top-up';

const info: TopUpInfoView = {
  enable_online_topup: true,
  enable_stripe_topup: true,
  pay_methods: [],
  min_topup: 2,
  stripe_min_topup: 5,
  amount_options: [10, 20],
  discount: { '100': 0.9, '200': 1 },
  price: 7.3,
  stripe_unit_price: 8,
};

describe('top-up helpers', () => {
  it('picks the minimum of a pay method', () => {
    expect(minimumAmount(info, undefined)).toBe(2);
    expect(minimumAmount(info, { name: 'A', type: 'alipay' })).toBe(2);
    expect(minimumAmount(info, { name: 'C', type: 'custom1', min_topup: '50' })).toBe(50);
    expect(minimumAmount(info, { name: 'S', type: 'stripe' })).toBe(5);
  });

  it('accepts whole positive amounts only', () => {
    expect(parseAmount(' 20 ')).toBe(20);
    expect(parseAmount('0')).toBeNull();
    expect(parseAmount('1.5')).toBeNull();
    expect(parseAmount('-3')).toBeNull();
    expect(parseAmount('')).toBeNull();
  });

  it('shows discounts under 1 as percent off', () => {
    expect(discountPercent(info.discount, 100)).toBe(10);
    expect(discountPercent(info.discount, 200)).toBeNull();
    expect(discountPercent(info.discount, 10)).toBeNull();
  });

  it('maps statuses to badges', () => {
    expect(statusBadge('success')).toBe('badge badge-ok');
    expect(statusBadge('pending')).toBe('badge badge-warn');
    expect(statusBadge('expired')).toBe('badge badge-off');
  });
});
