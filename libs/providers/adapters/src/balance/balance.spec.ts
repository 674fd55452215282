import { ChannelType } from '@your-api/contracts';
import {
  balanceCallOf,
  balanceInUsd,
  BalanceReadError,
  balanceSourceOf,
  openAiSubscriptionCall,
  openAiUsageCall,
  openAiUsageWindow,
  readBalance,
  readOpenAiSubscription,
  readOpenAiUsageUsd,
} from './balance';

describe('balanceSourceOf', () => {
  it('maps the vendors with a balance API and refuses the others', () => {
    expect(balanceSourceOf(ChannelType.OpenAI)).toBe('openai-billing');
    expect(balanceSourceOf(ChannelType.Custom)).toBe('openai-billing');
    expect(balanceSourceOf(ChannelType.API2GPT)).toBe('credit-grants');
    expect(balanceSourceOf(ChannelType.DeepSeek)).toBe('deepseek');
    expect(balanceSourceOf(ChannelType.SiliconFlow)).toBe('siliconflow');
    expect(balanceSourceOf(ChannelType.OpenRouter)).toBe('openrouter');
    expect(balanceSourceOf(ChannelType.Moonshot)).toBe('moonshot');
    expect(balanceSourceOf(ChannelType.Azure)).toBeNull();
    expect(balanceSourceOf(ChannelType.Anthropic)).toBeNull();
  });
});

describe('balance calls', () => {
  it('builds the vendor URLs from the base URL, tolerating a trailing /v1 or slash', () => {
    expect(balanceCallOf('deepseek', 'https://api.deepseek.com/', 'sk-1')).toEqual({
      url: 'https://api.deepseek.com/user/balance',
      headers: { authorization: 'Bearer sk-1', accept: 'application/json' },
    });
    expect(balanceCallOf('openrouter', 'https://openrouter.ai/api', 'k').url).toBe('https://openrouter.ai/api/v1/credits');
    expect(balanceCallOf('siliconflow', 'https://api.siliconflow.cn/v1', 'k').url).toBe('https://api.siliconflow.cn/v1/user/info');
    expect(balanceCallOf('moonshot', 'https://api.moonshot.cn', 'k').url).toBe('https://api.moonshot.cn/v1/users/me/balance');
    expect(balanceCallOf('credit-grants', 'https://api.aigc2d.com', 'k').url).toBe('https://api.aigc2d.com/dashboard/billing/credit_grants');
    expect(balanceCallOf('aiproxy', 'https://api.aiproxy.io', 'k').headers).toEqual({ 'api-key': 'k', accept: 'application/json' });
    expect(openAiSubscriptionCall('http://fake:1/v1', 'k').url).toBe('http://fake:1/v1/dashboard/billing/subscription');
    expect(openAiUsageCall('http://fake:1', 'k', { startDate: '2025-01-01', endDate: '2025-01-31' }).url).toBe(
      'http://fake:1/v1/dashboard/billing/usage?start_date=2025-01-01&end_date=2025-01-31',
    );
  });

  it('subtracts the last 100 days of usage from a prepaid grant, this month from a paying account', () => {
    const now = new Date(2025, 2, 15, 12, 0, 0); // local 2025-03-15
    expect(openAiUsageWindow(false, now)).toEqual({ startDate: '2024-12-05', endDate: '2025-03-15' });
    expect(openAiUsageWindow(true, now)).toEqual({ startDate: '2025-03-01', endDate: '2025-03-15' });
  });
});

describe('reading balance replies', () => {
  it('reads the OpenAI subscription and usage (cents)', () => {
    expect(readOpenAiSubscription({ object: 'billing_subscription', has_payment_method: false, hard_limit_usd: 120 })).toEqual({ hardLimitUsd: 120, hasPaymentMethod: false });
    expect(readOpenAiUsageUsd({ object: 'list', total_usage: 2550 })).toBe(25.5);
    expect(() => readOpenAiSubscription({ error: { message: 'bad key' } })).toThrow(BalanceReadError);
  });

  it('reads DeepSeek, preferring a USD balance and falling back to CNY', () => {
    expect(readBalance('deepseek', { is_available: true, balance_infos: [{ currency: 'CNY', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' }] })).toEqual({
      amount: 110,
      currency: 'CNY',
    });
    expect(readBalance('deepseek', { balance_infos: [{ currency: 'CNY', total_balance: '1' }, { currency: 'USD', total_balance: '4.5' }] })).toEqual({ amount: 4.5, currency: 'USD' });
    expect(() => readBalance('deepseek', { balance_infos: [] })).toThrow('no USD or CNY balance');
  });

  it('reads SiliconFlow, OpenRouter, Moonshot, credit grants and AIProxy', () => {
    expect(readBalance('siliconflow', { code: 20000, status: true, data: { totalBalance: '14.5', balance: '4.5' } })).toEqual({ amount: 14.5, currency: 'CNY' });
    expect(readBalance('openrouter', { data: { total_credits: 20, total_usage: 7.25 } })).toEqual({ amount: 12.75, currency: 'USD' });
    expect(readBalance('moonshot', { code: 0, status: true, data: { available_balance: 49.58, voucher_balance: 0, cash_balance: 49.58 } })).toEqual({ amount: 49.58, currency: 'CNY' });
    expect(readBalance('credit-grants', { object: 'credit_summary', total_granted: 10, total_used: 2, total_available: 8 })).toEqual({ amount: 8, currency: 'USD' });
    expect(readBalance('credit-grants', { total_granted: 10, total_used: 4, total_remaining: 6 })).toEqual({ amount: 6, currency: 'USD' });
    expect(readBalance('aiproxy', { success: true, data: { totalPoints: 3.5 } })).toEqual({ amount: 3.5, currency: 'USD' });
  });

  it('turns vendor error codes and unreadable amounts into BalanceReadError', () => {
    expect(() => readBalance('siliconflow', { code: 40001, message: 'Invalid token' })).toThrow('SiliconFlow refused: Invalid token (code 40001)');
    expect(() => readBalance('moonshot', { code: 1, status: false, scode: 'unauthorized' })).toThrow(BalanceReadError);
    expect(() => readBalance('aiproxy', { success: false, message: 'bad key', error_code: 3 })).toThrow('AIProxy refused: bad key (code 3)');
    expect(() => readBalance('openrouter', { data: { total_credits: 'lots' } })).toThrow('no readable total_credits');
    expect(() => readBalance('deepseek', 'not json')).toThrow('not a JSON object');
  });
});

describe('balanceInUsd', () => {
  it('converts CNY at the operator rate and keeps USD', () => {
    expect(balanceInUsd({ amount: 73, currency: 'CNY' }, 7.3)).toBeCloseTo(10);
    expect(balanceInUsd({ amount: 5, currency: 'USD' }, 7.3)).toBe(5);
    expect(balanceInUsd({ amount: 5, currency: 'CNY' }, 0)).toBe(0);
  });
});
