import {
  abilityRowsOf,
  checkBaseUrl,
  checkJsonObject,
  checkModelMapping,
  checkStatusCodeMapping,
  chunk,
  isKnownChannelType,
  splitCsv,
  splitKeys,
} from './channel-rules';

describe('channel rules', () => {
  it('derives one ability per group × model, enabled only for status 1', () => {
    const rows = abilityRowsOf({ id: 7, models: 'a, b,a', group: 'default,vip', status: 1, priority: 3, weight: 5, tag: 't' });
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({ group: 'default', model: 'a', channel_id: 7, enabled: true, priority: 3, weight: 5, tag: 't' });
    const disabled = abilityRowsOf({ id: 7, models: 'a', group: 'default', status: 2, priority: 0, weight: 0, tag: '' });
    expect(disabled).toEqual([{ group: 'default', model: 'a', channel_id: 7, enabled: false, priority: 0, weight: 0, tag: null }]);
    expect(abilityRowsOf({ id: 1, models: '', group: 'default', status: 1, priority: 0, weight: 0, tag: null })).toEqual([]);
  });

  it('splits CSV, keys and chunks', () => {
    expect(splitCsv(' x ,, y,x')).toEqual(['x', 'y']);
    expect(splitKeys('k1\r\n\n  k2  \n')).toEqual(['k1', 'k2']);
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('knows channel types', () => {
    expect(isKnownChannelType(1)).toBe(true);
    expect(isKnownChannelType(43)).toBe(true);
    expect(isKnownChannelType(0)).toBe(false);
    expect(isKnownChannelType(28)).toBe(false);
    expect(isKnownChannelType(9999)).toBe(false);
  });

  it('accepts model mapping chains and self-maps, and names cycles', () => {
    expect(checkModelMapping('')).toBeNull();
    expect(checkModelMapping('{"a":"b","b":"c"}')).toBeNull();
    expect(checkModelMapping('{"a":"a"}')).toBeNull();
    expect(checkModelMapping('{"a":"b","b":"a"}')).toBe('model_mapping contains a cycle: a → b → a');
    expect(checkModelMapping('{"x":"a","a":"b","b":"c","c":"a"}')).toContain('a → b → c → a');
    expect(checkModelMapping('{"a":1}')).toContain('must be a string');
    expect(checkModelMapping('[1]')).toContain('JSON object');
    expect(checkModelMapping('{')).toContain('valid JSON');
  });

  it('checks status code mapping, JSON objects and base URLs', () => {
    expect(checkStatusCodeMapping('{"429":"500"}')).toBeNull();
    expect(checkStatusCodeMapping('{"429":500}')).toBeNull();
    expect(checkStatusCodeMapping('{"abc":"500"}')).toContain('abc');
    expect(checkJsonObject('setting', '{"proxy":"http://p"}')).toBeNull();
    expect(checkJsonObject('setting', '"x"')).toContain('JSON object');
    expect(checkBaseUrl('https://api.example.com/v1')).toBeNull();
    expect(checkBaseUrl('ftp://x')).toContain('http');
    expect(checkBaseUrl('not a url')).toContain('valid');
  });
});
