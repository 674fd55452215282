import { modelMappingProblem, proxyOf, splitList, withProxy } from './channel-form';

describe('modelMappingProblem', () => {
  it('accepts an empty mapping and a JSON object of model names', () => {
    expect(modelMappingProblem('')).toBe(false);
    expect(modelMappingProblem('   ')).toBe(false);
    expect(modelMappingProblem('{"gpt-4o": "gpt-4o-2024-11-20", "a": "b"}')).toBe(false);
    expect(modelMappingProblem('{}')).toBe(false);
  });

  it('refuses broken JSON, arrays, non-objects and empty or non-string targets', () => {
    expect(modelMappingProblem('{"gpt-4o": 42')).toBe(true);
    expect(modelMappingProblem('["a"]')).toBe(true);
    expect(modelMappingProblem('"a"')).toBe(true);
    expect(modelMappingProblem('null')).toBe(true);
    expect(modelMappingProblem('{"a": 1}')).toBe(true);
    expect(modelMappingProblem('{"a": "  "}')).toBe(true);
  });
});

describe('withProxy / proxyOf', () => {
  it('sets, replaces and clears the proxy, keeping the other settings', () => {
    const set = withProxy('{"force_format": true}', ' socks5://127.0.0.1:1080 ');
    expect(JSON.parse(set)).toEqual({ force_format: true, proxy: 'socks5://127.0.0.1:1080' });
    expect(proxyOf(set)).toBe('socks5://127.0.0.1:1080');
    expect(JSON.parse(withProxy(set, ''))).toEqual({ force_format: true });
    expect(withProxy('{"proxy": "http://x"}', '')).toBe('');
  });

  it('replaces an unreadable or non-object setting and reads no proxy from it', () => {
    expect(withProxy('{oops', 'http://p')).toBe('{"proxy":"http://p"}');
    expect(withProxy('[1]', '')).toBe('');
    expect(proxyOf('{oops')).toBe('');
    expect(proxyOf(null)).toBe('');
    expect(proxyOf('{"proxy": 3}')).toBe('');
  });
});

describe('splitList', () => {
  it('splits on commas and newlines, trims, drops blanks and repeats, keeps order', () => {
    expect(splitList('b, a\n b ,,c\n')).toEqual(['b', 'a', 'c']);
    expect(splitList('')).toEqual([]);
  });
});
