import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { BpeCounter } from './bpe';
import { LONG_PIECE_CHARS, countEncodedTokens, countTextTokens, encodingForModel, getEncoding, type EncodingName } from './index';
import { mixedText, seededRandom } from './test-text';

/** js-tiktoken's own encoder over the same rank file: the reference counts are its `encode(...).length`. */
const referenceEncoders = new Map<EncodingName, Tiktoken>();
function reference(name: EncodingName): Tiktoken {
  let tiktoken = referenceEncoders.get(name);
  if (!tiktoken) {
    const mod = require(`js-tiktoken/ranks/${name}`) as TiktokenBPE & { default?: TiktokenBPE };
    tiktoken = new Tiktoken(mod.default ?? mod);
    referenceEncoders.set(name, tiktoken);
  }
  return tiktoken;
}

describe('encodingForModel (protocols §10.1)', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini', 'o200k_base'],
    ['gpt-4o-2024-08-06', 'o200k_base'],
    ['chatgpt-4o-latest', 'o200k_base'],
    ['ft:gpt-4o-mini:org::abc', 'o200k_base'],
    ['o1', 'o200k_base'],
    ['o1-mini', 'o200k_base'],
    ['o3', 'o200k_base'],
    ['o3-mini-high', 'o200k_base'],
    ['o4-mini', 'o200k_base'],
    ['o4-mini-2025-04-16', 'o200k_base'],
    ['gpt-4.1', 'o200k_base'],
    ['gpt-4.1-nano', 'o200k_base'],
    ['gpt-4.5-preview', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['gpt-5-mini', 'o200k_base'],
    ['gpt-5.4', 'o200k_base'],
    ['gpt-oss-120b', 'o200k_base'],
    ['openai/gpt-4o', 'o200k_base'],
    ['GPT-4o', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['gpt-4-0613', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['gpt-35-turbo', 'cl100k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
    ['text-embedding-ada-002', 'cl100k_base'],
    ['claude-3-5-sonnet-20241022', 'cl100k_base'],
    ['gemini-2.5-pro', 'cl100k_base'],
    ['deepseek-chat', 'cl100k_base'],
    ['o1x', 'cl100k_base'],
    ['', 'cl100k_base'],
  ])('%s → %s', (model, encoding) => {
    expect(encodingForModel(model)).toBe(encoding);
  });
});

describe('encoder cache', () => {
  it('builds each encoding once', () => {
    const a = getEncoding('cl100k_base');
    expect(getEncoding('cl100k_base')).toBe(a);
    expect(a.bpe).toBeInstanceOf(BpeCounter);
    const b = getEncoding('o200k_base');
    expect(b).not.toBe(a);
    expect(getEncoding('o200k_base')).toBe(b);
  });
});

describe('countTextTokens', () => {
  it.each([
    ['gpt-4', 'tiktoken is great!', 6],
    ['gpt-4', 'hello world', 2],
    ['gpt-4o', 'hello world', 2],
    ['gpt-4', '', 0],
  ])('%s %p → %d', (model, text, n) => {
    expect(countTextTokens(model, text)).toBe(n);
  });

  it('treats special-token text as ordinary text instead of throwing', () => {
    expect(() => countTextTokens('gpt-4o', 'a <|endoftext|> b <|fim_prefix|>')).not.toThrow();
    expect(countTextTokens('gpt-4', '<|endoftext|>')).toBe(7);
  });

  it('the two encodings differ on non-English text', () => {
    const text = '这是一个用于比较两种编码的中文句子，其中包含一些常见的词语。';
    expect(countTextTokens('gpt-4o', text)).toBeLessThan(countTextTokens('gpt-4', text));
  });

  it.each(['cl100k_base', 'o200k_base'] as const)('%s: equals js-tiktoken on ordinary text', (name) => {
    const enc = getEncoding(name);
    const text = mixedText(seededRandom(7), 20000);
    expect(countEncodedTokens(enc, text)).toBe(reference(name).encode(text, [], []).length);
  });

  it.each(['cl100k_base', 'o200k_base'] as const)('%s: counting piece by piece (with the piece cache warm) equals js-tiktoken', (name) => {
    const enc = getEncoding(name);
    const rnd = seededRandom(11);
    for (let i = 0; i < 300; i++) {
      const text = mixedText(rnd, 1 + Math.floor(rnd() * 200));
      expect(countEncodedTokens(enc, text)).toBe(reference(name).encode(text, [], []).length);
    }
    expect(enc.pieceTokens.size).toBeGreaterThan(0);
  });

  it('remembers long texts whole and counts them the same the second time', () => {
    const enc = getEncoding('cl100k_base');
    const text = mixedText(seededRandom(5), 3000);
    const first = countEncodedTokens(enc, text);
    expect(enc.textTokens.counts.get(text)).toBe(first);
    expect(countEncodedTokens(enc, text)).toBe(first);
    expect(first).toBe(reference('cl100k_base').encode(text, [], []).length);
  });

  it('treats special-token text as ordinary text', () => {
    const enc = getEncoding('o200k_base');
    const text = 'a <|endoftext|> b <|fim_prefix|>';
    expect(countEncodedTokens(enc, text)).toBe(reference('o200k_base').encode(text, [], []).length);
  });

  it.each(['cl100k_base', 'o200k_base'] as const)(
    '%s: slow path (long runs that are still short pieces) stays exact',
    (name) => {
      const enc = getEncoding(name);
      // 200 "=" and 200 spaces trip the pre-check, yet each is a single piece ≤ LONG_PIECE_CHARS.
      const text = `# Title\n${'='.repeat(200)}\nbody${' '.repeat(200)}x\n${'a'.repeat(130)} end`;
      expect(countEncodedTokens(enc, text)).toBe(reference(name).encode(text, [], []).length);
    },
  );

  it('counts pathological single-piece input quickly and close to exact', () => {
    const rnd = seededRandom(99);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const word = Array.from({ length: 1000 }, () => letters[Math.floor(rnd() * 26)]).join('');
    expect(word.length).toBeGreaterThan(LONG_PIECE_CHARS);
    const exact = reference('cl100k_base').encode(word, [], []).length;
    const guarded = countTextTokens('gpt-4', word);
    expect(Math.abs(guarded - exact)).toBeLessThanOrEqual(Math.max(2, exact * 0.02));

    // 200 000 characters in one "word": exact BPE would take minutes; the guard takes ~1-2 s.
    const huge = word.repeat(200);
    const started = Date.now();
    const n = countTextTokens('gpt-4', `prefix ${huge} suffix`);
    expect(Date.now() - started).toBeLessThan(10000);
    expect(n).toBeGreaterThan(huge.length / 4);
    expect(n).toBeLessThan(huge.length);
  });

  it('does not split surrogate pairs when slicing long pieces', () => {
    const emojiRun = '😀'.repeat(300); // one punctuation-class piece of 600 code units
    const n = countTextTokens('gpt-4o', emojiRun);
    const perEmoji = countTextTokens('gpt-4o', '😀');
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(300 * perEmoji);
  });
});
