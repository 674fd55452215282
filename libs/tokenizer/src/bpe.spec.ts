import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { BpeCounter, BpeRanks } from './bpe';
import { mixedText, seededRandom } from './test-text';

const NAMES = ['cl100k_base', 'o200k_base'] as const;

function rankFile(name: (typeof NAMES)[number]): TiktokenBPE {
  const mod = require(`js-tiktoken/ranks/${name}`) as TiktokenBPE & { default?: TiktokenBPE };
  return mod.default ?? mod;
}

/** js-tiktoken itself, the reference: its encoder and ours over the same rank file. */
const reference = new Map(
  NAMES.map((name) => {
    const file = rankFile(name);
    return [name, { file, tiktoken: new Tiktoken(file), counter: new BpeCounter(BpeRanks.parse(file.bpe_ranks)) }] as const;
  }),
);

/** js-tiktoken's count of one piece (its encode re-splits the piece into itself). */
function expected(name: (typeof NAMES)[number], piece: string): number {
  return reference.get(name)!.tiktoken.encode(piece, [], []).length;
}

function pieces(name: (typeof NAMES)[number], text: string): string[] {
  return [...text.matchAll(new RegExp(reference.get(name)!.file.pat_str, 'gu'))].map((m) => m[0]).filter(Boolean);
}

describe('BpeRanks', () => {
  it.each(NAMES)('%s: holds every token of the rank file, at its rank', (name) => {
    const { file, counter } = reference.get(name)!;
    const ranks = BpeRanks.parse(file.bpe_ranks);
    const encoder = new TextEncoder();
    // Every single byte is a token (so every part left after merging has a rank).
    for (let b = 0; b < 256; b++) expect(ranks.rankOf(Uint8Array.of(b), 0, 1)).toBeGreaterThanOrEqual(0);
    expect(ranks.size).toBe(name === 'cl100k_base' ? 100256 : 199998);
    expect(ranks.rankOf(encoder.encode(' hello'), 0, 6)).toBe(reference.get(name)!.tiktoken.encode(' hello')[0]);
    expect(ranks.rankOf(encoder.encode('xx'), 0, 0)).toBe(-1);
    expect(counter).toBeInstanceOf(BpeCounter);
  });

  it('parses several lines, rank offsets and padding; refuses what is not base64', () => {
    // "! 0 a b" / "! 5 ab": a=0, b=1, ab=5.
    const ranks = BpeRanks.parse('! 0 YQ== Yg==\n! 5 YWI=\n');
    const bytes = new TextEncoder().encode('ab');
    expect(ranks.size).toBe(3);
    expect(ranks.rankOf(bytes, 0, 1)).toBe(0);
    expect(ranks.rankOf(bytes, 1, 2)).toBe(1);
    expect(ranks.rankOf(bytes, 0, 2)).toBe(5);
    expect(new BpeCounter(ranks).count('ab')).toBe(1);
    expect(new BpeCounter(ranks).count('abab')).toBe(2);
    expect(() => BpeRanks.parse('! 0 Y*==')).toThrow(/base64/);
    expect(() => BpeRanks.parse('! x YQ==')).toThrow(/first rank/);
  });
});

describe('BpeCounter', () => {
  it.each(NAMES)('%s: every piece of mixed text counts as js-tiktoken counts it', (name) => {
    const { counter } = reference.get(name)!;
    const rnd = seededRandom(21);
    let checked = 0;
    for (let i = 0; i < 40; i++) {
      for (const piece of pieces(name, mixedText(rnd, 500))) {
        expect([piece, counter.count(piece)]).toEqual([piece, expected(name, piece)]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it.each(NAMES)('%s: long and unusual pieces (random letters, digits, emoji, lone surrogates, runs)', (name) => {
    const { counter } = reference.get(name)!;
    const rnd = seededRandom(5);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzéßøçабвгд你好世界';
    const cases = [
      'a',
      ' ',
      '\ud83d', // a lone high surrogate: UTF-8 of U+FFFD, as TextEncoder writes it
      '\udc00x',
      '😀👍🏽👨‍👩‍👧',
      '<|endoftext|>',
      ' '.repeat(300),
      '\n\n\n\r\n',
      '=' .repeat(257),
      'x'.repeat(200),
      ...Array.from({ length: 50 }, () => Array.from({ length: 1 + Math.floor(rnd() * 250) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('')),
    ];
    for (const piece of cases) expect([piece, counter.count(piece)]).toEqual([piece, expected(name, piece)]);
    expect(counter.count('')).toBe(0);
  });

  it('grows its buffers for a long piece and still counts short ones after', () => {
    const { counter } = reference.get('cl100k_base')!;
    const long = 'qzx'.repeat(400);
    expect(counter.count(long)).toBe(expected('cl100k_base', long));
    expect(counter.count(' hello')).toBe(1);
  });
});
