import { characterCount, escapeLike, isIpOrCidr, isWholeKey, normaliseAllowIps, normaliseCsv, stripKeyPrefix } from './token-rules';

describe('token rules', () => {
  it('accepts IPs and CIDR ranges and rejects the rest', () => {
    expect(isIpOrCidr('10.0.0.1')).toBe(true);
    expect(isIpOrCidr('10.0.0.0/8')).toBe(true);
    expect(isIpOrCidr('::1')).toBe(true);
    expect(isIpOrCidr('2001:db8::/32')).toBe(true);
    expect(isIpOrCidr('10.0.0.256')).toBe(false);
    expect(isIpOrCidr('10.0.0.0/33')).toBe(false);
    expect(isIpOrCidr('2001:db8::/129')).toBe(false);
    expect(isIpOrCidr('10.0.0.0/')).toBe(false);
    expect(isIpOrCidr('example.com')).toBe(false);
  });

  it('normalises allow_ips and names the first bad line', () => {
    expect(normaliseAllowIps(' 1.2.3.4 \r\n\n192.168.0.0/16\n')).toEqual({ value: '1.2.3.4\n192.168.0.0/16' });
    expect(normaliseAllowIps('1.2.3.4\nnope')).toEqual({ error: expect.stringContaining('line 2') });
  });

  it('normalises CSV lists', () => {
    expect(normaliseCsv(' gpt-4o, ,gpt-4o,claude-3 ')).toBe('gpt-4o,claude-3');
    expect(normaliseCsv('')).toBe('');
  });

  it('handles keys and LIKE escaping', () => {
    expect(stripKeyPrefix(' sk-abc ')).toBe('abc');
    expect(isWholeKey('a'.repeat(48))).toBe(true);
    expect(isWholeKey('a'.repeat(47))).toBe(false);
    expect(escapeLike('50%_off!')).toBe('50!%!_off!!');
    expect(characterCount('😀😀')).toBe(2);
  });
});
