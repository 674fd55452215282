import {
  callbackBase,
  epaySign,
  epaySubmitUrl,
  flattenParams,
  minimumFor,
  moneyText,
  payMoney,
  quotaOfAmount,
  readAmountOptions,
  readDiscounts,
  readPayMethods,
  roundMoney,
  sameMoney,
  signEpayParams,
  tradeNo,
  randomTradeSuffix,
  unitsOf,
  verifyEpayParams,
} from './payment-rules';

describe('payment rules', () => {
  it('signs like go-epay (its test vector)', () => {
    expect(epaySign({ device: 'devicev', money: 'moneyv' }, '1234567')).toBe('3854cc9f022e0fb821bd2e002260245d');
  });

  it('drops sign, sign_type and empty values and sorts keys (the protocols.md full example)', () => {
    const params = {
      pid: '1001',
      type: 'alipay',
      out_trade_no: 'T1',
      notify_url: 'http://x/n',
      return_url: 'http://x/r',
      name: 'VIP',
      money: '1.00',
      param: '',
      sign: 'whatever',
      sign_type: 'MD5',
    };
    expect(epaySign(params, 'KEY123')).toBe('9d7b7c48b3745450a5303df758801a60');
  });

  it('verifies a signed set and refuses a changed value, a wrong key or a missing sign', () => {
    const signed = signEpayParams({ pid: '1', money: '7.30', out_trade_no: 'USR1NOabc1' }, 'k');
    expect(signed.sign_type).toBe('MD5');
    expect(verifyEpayParams(signed, 'k')).toBe(true);
    expect(verifyEpayParams({ ...signed, sign: signed.sign.toUpperCase() }, 'k')).toBe(true);
    expect(verifyEpayParams({ ...signed, money: '7.31' }, 'k')).toBe(false);
    expect(verifyEpayParams(signed, 'other')).toBe(false);
    expect(verifyEpayParams(signed, '')).toBe(false);
    const { sign: _dropped, ...unsigned } = signed;
    expect(verifyEpayParams(unsigned, 'k')).toBe(false);
    expect(verifyEpayParams({ ...signed, sign: 'zz' }, 'k')).toBe(false);
  });

  it('flattens query and form values', () => {
    expect(flattenParams({ a: 'x', b: ['y', 'z'], c: 3, d: { e: 1 } })).toEqual({ a: 'x', b: 'y', c: '3' });
  });

  it('prices an amount with the group ratio and the discount, rounded to cents', () => {
    expect(payMoney({ units: 10, unitPrice: 7.3, groupRatio: 1, discount: 1 })).toBe(73);
    expect(payMoney({ units: 10, unitPrice: 7.3, groupRatio: 1.5, discount: 1 })).toBe(109.5);
    expect(payMoney({ units: 100, unitPrice: 7.3, groupRatio: 1, discount: 0.9 })).toBe(657);
    expect(payMoney({ units: 3, unitPrice: 0.335, groupRatio: 1, discount: 1 })).toBe(1.01);
    // 0 and negative multipliers mean "none" (New API: a 0 group ratio counts as 1).
    expect(payMoney({ units: 2, unitPrice: 7.3, groupRatio: 0, discount: 0 })).toBe(14.6);
    expect(roundMoney(1.005)).toBe(1.01);
    expect(moneyText(73)).toBe('73.00');
    expect(moneyText(0.1 + 0.2)).toBe('0.30');
    expect(sameMoney(73, 73.001)).toBe(true);
    expect(sameMoney(73, 73.01)).toBe(false);
    expect(sameMoney(Number.NaN, 1)).toBe(false);
  });

  it('converts amounts in TOKENS display mode and computes the quota credited', () => {
    expect(unitsOf(1_000_000, true, 500_000)).toBe(2);
    expect(unitsOf(10, false, 500_000)).toBe(10);
    expect(quotaOfAmount(10, false, 500_000)).toBe(5_000_000);
    expect(quotaOfAmount(1_000_000, true, 500_000)).toBe(1_000_000);
  });

  it('builds order numbers, callback and submit addresses', () => {
    expect(tradeNo(42, 'aB3dE9', 1_700_000_000)).toBe('USR42NOaB3dE91700000000');
    expect(randomTradeSuffix()).toMatch(/^[A-Za-z0-9]{6}$/);
    expect(callbackBase('', 'https://gw.example.com/')).toBe('https://gw.example.com');
    expect(callbackBase(' https://cb.example.com ', 'https://gw.example.com')).toBe('https://cb.example.com');
    expect(epaySubmitUrl('https://pay.example.com/')).toBe('https://pay.example.com/submit.php');
    expect(epaySubmitUrl('https://pay.example.com/submit.php')).toBe('https://pay.example.com/submit.php');
  });

  it('reads the pay method, amount option and discount options defensively', () => {
    expect(readPayMethods([{ name: 'Alipay', type: 'alipay' }, { name: 'x' }, 'junk', { type: 'custom1', min_topup: '50' }])).toEqual([
      { name: 'Alipay', type: 'alipay' },
      { name: 'custom1', type: 'custom1', min_topup: '50' },
    ]);
    expect(readPayMethods('nope')).toEqual([]);
    expect(minimumFor({ name: 'c', type: 'c', min_topup: '50' }, 1)).toBe(50);
    expect(minimumFor({ name: 'c', type: 'c' }, 5)).toBe(5);
    expect(minimumFor(undefined, 5)).toBe(5);
    expect(readAmountOptions([10, '20', -1, 50])).toEqual([10, 50]);
    expect(readDiscounts({ '100': 0.9, '200': 'x', '300': 0 })).toEqual({ '100': 0.9 });
  });
});
