import { changedOptions, isRateLimitGroups, oauthCallbackUrl, optionProblem, optionWireValue, type OptionRule } from './option-settings';

describe('optionProblem', () => {
  it('accepts only whole numbers for integer options, and honours the minimum', () => {
    const retries: OptionRule = { key: 'RetryTimes', kind: 'int', min: 0 };
    expect(optionProblem(retries, '3')).toBeNull();
    expect(optionProblem(retries, '1.5')).toBe('int');
    expect(optionProblem(retries, 'abc')).toBe('int');
    expect(optionProblem(retries, '')).toBe('int');
    expect(optionProblem(retries, '-1')).toBe('min');
  });

  it('accepts decimals for number options but not text or empty values', () => {
    const rate: OptionRule = { key: 'USDExchangeRate', kind: 'number', min: 0 };
    expect(optionProblem(rate, '7.3')).toBeNull();
    expect(optionProblem(rate, '')).toBe('number');
    expect(optionProblem(rate, '7,3')).toBe('number');
  });

  it('checks JSON objects and rate-limit groups', () => {
    expect(optionProblem({ key: 'GroupRatio', kind: 'json' }, '{"default":1}')).toBeNull();
    expect(optionProblem({ key: 'GroupRatio', kind: 'json' }, '[1]')).toBe('json');
    expect(isRateLimitGroups('{"default":[200,100],"vip":[0,1000]}')).toBe(true);
    expect(isRateLimitGroups('{"default":[200]}')).toBe(false);
    expect(isRateLimitGroups('{"default":[1.5,2]}')).toBe(false);
    expect(isRateLimitGroups('{"default":[-1,2]}')).toBe(false);
    expect(optionProblem({ key: 'ModelRequestRateLimitGroup', kind: 'rateLimitGroups' }, '{}')).toBeNull();
  });

  it('checks JSON lists (pay methods, preset amounts)', () => {
    expect(optionProblem({ key: 'PayMethods', kind: 'jsonList' }, '[{"name":"Alipay","type":"alipay"}]')).toBeNull();
    expect(optionProblem({ key: 'payment_setting.amount_options', kind: 'jsonList' }, '{"a":1}')).toBe('jsonList');
    expect(optionProblem({ key: 'payment_setting.amount_options', kind: 'jsonList' }, '[10,')).toBe('jsonList');
    expect(optionWireValue({ key: 'payment_setting.amount_options', kind: 'jsonList' }, '[\n  10,\n  20\n]')).toBe('[10,20]');
  });
});

describe('optionWireValue', () => {
  it('normalises numbers and compacts JSON', () => {
    expect(optionWireValue({ key: 'RetryTimes', kind: 'int' }, ' 007 ')).toBe('7');
    expect(optionWireValue({ key: 'GroupRatio', kind: 'json' }, '{\n  "a": 1\n}')).toBe('{"a":1}');
    expect(optionWireValue({ key: 'SMTPFrom', kind: 'text' }, ' a@b ')).toBe(' a@b ');
  });
});

describe('changedOptions', () => {
  const fields: OptionRule[] = [
    { key: 'GitHubOAuthEnabled', kind: 'bool' },
    { key: 'GitHubClientId', kind: 'text' },
    { key: 'GitHubClientSecret', kind: 'secret' },
    { key: 'RetryTimes', kind: 'int' },
  ];

  it('sends changed values with switches last, and secrets only when typed', () => {
    const saved = { GitHubOAuthEnabled: 'false', GitHubClientId: '', RetryTimes: '0' };
    const values = { GitHubOAuthEnabled: 'true', GitHubClientId: 'gh-id', GitHubClientSecret: '', RetryTimes: '0' };
    expect(changedOptions(fields, values, saved).map((f) => f.key)).toEqual(['GitHubClientId', 'GitHubOAuthEnabled']);
    expect(changedOptions(fields, { ...values, GitHubClientSecret: 's3cret' }, saved).map((f) => f.key)).toEqual([
      'GitHubClientId',
      'GitHubClientSecret',
      'GitHubOAuthEnabled',
    ]);
    expect(changedOptions(fields, saved, saved)).toEqual([]);
  });
});

describe('oauthCallbackUrl', () => {
  it('uses the server address when set, else this site, without a doubled slash', () => {
    expect(oauthCallbackUrl('https://gw.example/', 'http://localhost:3001', 'github')).toBe('https://gw.example/oauth/github');
    expect(oauthCallbackUrl('', 'http://localhost:3001', 'oidc')).toBe('http://localhost:3001/oauth/oidc');
    expect(oauthCallbackUrl(undefined, 'http://localhost:3001', 'linuxdo')).toBe('http://localhost:3001/oauth/linuxdo');
  });
});
