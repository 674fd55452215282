import { MAX_TAIL, countTextTokens, createStreamTokenCounter } from './index';
import { mixedText, randomDeltas, seededRandom, wordDeltas } from './test-text';

function streamCount(model: string, deltas: string[]): { total: number; maxBuffered: number } {
  const counter = createStreamTokenCounter(model);
  let maxBuffered = 0;
  for (const d of deltas) {
    counter.push(d);
    maxBuffered = Math.max(maxBuffered, counter.bufferedLength);
  }
  return { total: counter.total(), maxBuffered };
}

/** The documented tolerance: ±1% or ±2 tokens, whichever is larger. */
function withinTolerance(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= Math.max(2, expected * 0.01);
}

const MODELS = ['gpt-4o', 'gpt-4'] as const; // o200k_base and cl100k_base

describe('createStreamTokenCounter', () => {
  it.each(MODELS)('%s: empty stream is 0, empty deltas are ignored', (model) => {
    const c = createStreamTokenCounter(model);
    expect(c.total()).toBe(0);
    c.push('');
    expect(c.total()).toBe(0);
  });

  it.each(MODELS)('%s: exact for whole-word deltas', (model) => {
    const rnd = seededRandom(1);
    for (let i = 0; i < 5; i++) {
      const text = mixedText(rnd, 5000);
      const deltas = wordDeltas(text);
      expect(deltas.join('')).toBe(text);
      expect(streamCount(model, deltas).total).toBe(countTextTokens(model, text));
    }
  });

  it.each(MODELS)('%s: long inputs split at random points stay within ±1%% / ±2 (and in fact match)', (model) => {
    const rnd = seededRandom(2);
    for (let i = 0; i < 20; i++) {
      const text = mixedText(rnd, 3000 + Math.floor(rnd() * 20000));
      const deltas = randomDeltas(rnd, text, 1 + Math.floor(rnd() * 40));
      const whole = countTextTokens(model, text);
      const { total, maxBuffered } = streamCount(model, deltas);
      expect(withinTolerance(total, whole)).toBe(true);
      // Stronger than the documented contract: with no forced splits the result is exact.
      expect(total).toBe(whole);
      // Only a short tail is kept, never the whole text.
      expect(maxBuffered).toBeLessThan(200);
    }
  });

  it.each(MODELS)('%s: one-character deltas (every surrogate pair split) are exact', (model) => {
    const text = mixedText(seededRandom(3), 4000);
    expect(streamCount(model, text.split('')).total).toBe(countTextTokens(model, text));
  });

  it.each(MODELS)('%s: boundaries that depend on look-ahead', (model) => {
    const cases = [
      `word${' '.repeat(40)}next`, // whitespace run: last space joins the next word
      `line\n\n\n${' '.repeat(30)}\n\nmore`, // \s*[\r\n]+ scans the whole run
      `don${"'"}t we${"'"}re I${"'"}ll `.repeat(20), // contractions split across deltas
      `${'1234567890'.repeat(10)} digits`, // digits group in threes
      `${'!'.repeat(50)}abc${'?'.repeat(30)}\n\n/`, // punctuation runs with trailing newlines
      `${'x'.repeat(100)}${'\n'.repeat(100)}`, // run ends the stream
    ];
    for (const text of cases) {
      for (const size of [1, 2, 3, 7, 16, 17, 33]) {
        const deltas = randomDeltas(() => (size - 1) / size, text, size);
        expect(streamCount(model, deltas).total).toBe(countTextTokens(model, text));
      }
    }
  });

  it.each(MODELS)('%s: total() mid-stream does not disturb the final count', (model) => {
    const text = mixedText(seededRandom(4), 8000);
    const c = createStreamTokenCounter(model);
    let seen = '';
    for (const d of randomDeltas(seededRandom(5), text, 25)) {
      c.push(d);
      seen += d;
      // Mid-stream totals count what has arrived so far (a half word counts as its own tokens).
      if (seen.length % 7 === 0) expect(c.total()).toBe(countTextTokens(model, seen));
    }
    expect(c.total()).toBe(countTextTokens(model, text));
  });

  it.each(MODELS)('%s: pathological streams stay bounded in memory and within tolerance', (model) => {
    const rnd = seededRandom(6);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const hugeWord = Array.from({ length: 12000 }, () => letters[Math.floor(rnd() * 26)]).join('');
    const cases = [
      `start ${' '.repeat(20000)} end`,
      `start ${hugeWord} end`,
      `${'\n'.repeat(9000)}tail`,
      `${'!\n'.repeat(5000)}${'x'.repeat(100)} ok`,
      `a\n\n${' '.repeat(6000)}\nb`,
      `${'😀'.repeat(5000)} smile`,
    ];
    for (const text of cases) {
      const { total, maxBuffered } = streamCount(model, randomDeltas(rnd, text, 50));
      expect(maxBuffered).toBeLessThanOrEqual(MAX_TAIL + 50);
      expect(withinTolerance(total, countTextTokens(model, text))).toBe(true);
    }
  });

  it('a single huge delta is committed in one go', () => {
    const text = mixedText(seededRandom(8), 200000);
    const c = createStreamTokenCounter('gpt-4o');
    c.push(text);
    expect(c.bufferedLength).toBeLessThan(200);
    expect(c.total()).toBe(countTextTokens('gpt-4o', text));
  });
});
