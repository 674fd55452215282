import { RedemptionStatus } from '@your-api/contracts';
import { checkRedemptionName, expiryProblem, generateRedemptionKey, redeemRefusal, topUpLogContent } from './redemption-rules';

describe('redemption rules', () => {
  it('generates 32 lowercase hex characters, different each time', () => {
    const keys = new Set(Array.from({ length: 50 }, generateRedemptionKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts names of 1 to 20 characters, trimmed, counting characters not bytes', () => {
    expect(checkRedemptionName('  launch week ')).toEqual({ value: 'launch week' });
    expect(checkRedemptionName('兑'.repeat(20))).toEqual({ value: '兑'.repeat(20) });
    expect(checkRedemptionName('😀'.repeat(20))).toEqual({ value: '😀'.repeat(20) });
    expect(checkRedemptionName('x'.repeat(21))).toHaveProperty('error');
    expect(checkRedemptionName('   ')).toHaveProperty('error');
  });

  it('allows no expiry or a future one', () => {
    expect(expiryProblem(0, 1000)).toBeNull();
    expect(expiryProblem(1001, 1000)).toBeNull();
    expect(expiryProblem(1000, 1000)).toMatch(/future/);
    expect(expiryProblem(-1, 1000)).toMatch(/future/);
  });

  it('explains why a code was not claimed', () => {
    const now = 1_000;
    expect(redeemRefusal(null, now).code).toBe('redemption/not-found');
    expect(redeemRefusal({ status: RedemptionStatus.Used, expired_time: 0 }, now).code).toBe('redemption/used');
    expect(redeemRefusal({ status: RedemptionStatus.Disabled, expired_time: 0 }, now).code).toBe('redemption/disabled');
    expect(redeemRefusal({ status: RedemptionStatus.Enabled, expired_time: 999 }, now).code).toBe('redemption/expired');
    expect(redeemRefusal({ status: RedemptionStatus.Enabled, expired_time: 1_000 }, now).code).toBe('redemption/expired');
    // Used wins over expired: the user learns the code is spent, not merely old.
    expect(redeemRefusal({ status: RedemptionStatus.Used, expired_time: 999 }, now).code).toBe('redemption/used');
    expect(redeemRefusal({ status: RedemptionStatus.Enabled, expired_time: 0 }, now).code).toBe('redemption/changed');
  });

  it('writes the amount in dollars and quota into the log text', () => {
    expect(topUpLogContent(1_000_000, 500_000, 7)).toBe('Redeemed code #7 for $2.000000 (1000000 quota)');
    expect(topUpLogContent(1, 500_000, 8)).toBe('Redeemed code #8 for $0.000002 (1 quota)');
  });
});
