/**
 * Test-only helpers (not exported from index.ts): a seeded PRNG and a generator of text that
 * exercises every branch of the tiktoken split regexes.
 */

/** mulberry32: small deterministic PRNG so failures are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  'the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'token', 'counting', 'gateway',
  "don't", "we're", "I'll", "it's", "they've", "she'd", "I'm", "DON'T", "'s",
  'HELLO', 'CamelCase', 'XMLHttpRequest', 'iPhone', 'McDonald',
  '12345', '3.14159', '2024-05-01', '0x1F', '1,000,000', '42',
  ',', '.', '!', '!!', '?!', '...', '—', '(', ')', '{', '}', ';', ':', '"', "'", '`', '/', '//', '<|endoftext|>',
  '你好', '世界', '東京', 'こんにちは', '안녕하세요', 'Привет', 'مرحبا', 'नमस्ते',
  '😀', '👍🏽', '👨‍👩‍👧', '🚀', '∑', '∞',
  'café', 'naïve', 'e\u0301', 'ﬁ', 'Ω',
  'function foo(bar) {', 'return x + y;', 'const a = [1, 2, 3];', '<div class="x">', 'https://example.com/a/b?c=d',
  '\n', '\n\n', '\r\n', '\t', '  ', '    ', '\u00a0',
];

const SEPARATORS = [' ', ' ', ' ', ' ', '', '  ', '\n', '\n\n', '\t', '   ', ' \n'];

/** Pseudo-random text of roughly `length` characters. */
export function mixedText(rnd: () => number, length: number): string {
  let out = '';
  while (out.length < length) {
    out += FRAGMENTS[Math.floor(rnd() * FRAGMENTS.length)];
    out += SEPARATORS[Math.floor(rnd() * SEPARATORS.length)];
  }
  return out;
}

/** Splits `text` into deltas of 1..maxLen UTF-16 code units (may split surrogate pairs). */
export function randomDeltas(rnd: () => number, text: string, maxLen: number): string[] {
  const deltas: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(rnd() * maxLen);
    deltas.push(text.slice(i, i + n));
    i += n;
  }
  return deltas;
}

/** Splits `text` the way chat models stream it: each delta is a word with its leading space. */
export function wordDeltas(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}
