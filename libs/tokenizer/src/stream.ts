import {
  LONG_PIECE_CHARS,
  LoadedEncoding,
  countEncodedTokens,
  countLongPiece,
  encodeLength,
  encoderForModel,
  nextLongPieceSliceEnd,
} from './encoding';

/**
 * Counts completion tokens of a streamed response without keeping the response in memory.
 *
 * tiktoken first splits text into pieces with a regex, then BPE-encodes each piece on its own, so
 * a prefix can be encoded early as long as the piece boundary at its end can no longer move. A
 * boundary can only move while the regex might still look past it, which is:
 *  - a few characters (contraction suffixes like "'re", the one-character `(?!\S)` lookahead), and
 *  - across a run of whitespace (`\s+(?!\S)` and `\s*[\r\n]+` scan to the end of the run).
 * So the counter commits up to the last piece boundary that (a) is at least STABLE_MARGIN
 * characters before the end of what it has seen and (b) directly follows a non-whitespace
 * character. Everything after it (the "tail") is kept and re-split when more text arrives. Because
 * the split regex never looks behind, matching the tail alone yields the same pieces as matching the
 * whole text.
 *
 * Exactness: identical to counting the concatenated text in one go. The one exception is a piece
 * longer than MAX_TAIL (thousands of spaces, one enormous "word"): to bound memory the counter
 * then commits it in the same fixed-size slices that countTextTokens uses for long pieces (see
 * LONG_PIECE_CHARS), which keeps the two equal in practice; a run whose split is decided by text
 * far past the cut (e.g. thousands of spaces that a later newline merges into one piece) may differ
 * by a token. Contract, as tested: within ±1% or ±2 tokens; exact whenever deltas end on word
 * boundaries. Memory is O(MAX_TAIL + largest delta).
 */
export interface StreamTokenCounter {
  /** Feed the next text delta (any split, including mid-word or mid-surrogate-pair). */
  push(textDelta: string): void;
  /** Tokens of everything pushed so far. Cheap; may be called at any time. */
  total(): number;
  /** Characters currently buffered (for diagnostics/tests; stays small). */
  readonly bufferedLength: number;
}

/** Characters kept after the last committed boundary; covers every bounded regex lookahead. */
export const STABLE_MARGIN = 16;
/** Above this many buffered characters without a safe boundary, force a split. */
export const MAX_TAIL = 4096;
/** Do not bother re-splitting until this much is buffered. */
const MIN_SCAN = 64;

const WHITESPACE = /\s/u;

class Counter implements StreamTokenCounter {
  private committed = 0;
  private tail = '';
  /** True when `tail` starts inside a long piece whose earlier slices are already committed. */
  private continuing = false;
  private readonly splitter: RegExp;

  constructor(private readonly enc: LoadedEncoding) {
    this.splitter = new RegExp(enc.pattern, 'gu');
  }

  get bufferedLength(): number {
    return this.tail.length;
  }

  push(textDelta: string): void {
    if (!textDelta) return;
    this.tail += textDelta;
    if (this.tail.length >= MIN_SCAN) this.commitStablePrefix();
  }

  total(): number {
    return this.committed + this.count(this.tail, this.continuing);
  }

  /** Tokens of `text`; if it starts inside a long piece, that piece's rest is counted in slices. */
  private count(text: string, continuing: boolean): number {
    if (!continuing || text.length === 0) return countEncodedTokens(this.enc, text);
    this.splitter.lastIndex = 0;
    const first = this.splitter.exec(text);
    const firstEnd = first ? first.index + first[0].length : text.length;
    return countLongPiece(this.enc, text.slice(0, firstEnd)) + countEncodedTokens(this.enc, text.slice(firstEnd));
  }

  private commit(cut: number): void {
    this.committed += this.count(this.tail.slice(0, cut), this.continuing);
    this.tail = this.tail.slice(cut);
    this.continuing = false;
  }

  private commitStablePrefix(): void {
    const tail = this.tail;
    const limit = tail.length - STABLE_MARGIN;
    let safeCut = 0;
    let lastCut = 0;
    this.splitter.lastIndex = 0;
    for (const m of tail.matchAll(this.splitter)) {
      const end = m.index + m[0].length;
      if (end > limit) break;
      lastCut = end;
      if (!WHITESPACE.test(tail[end - 1])) safeCut = end;
    }
    if (safeCut > 0) {
      this.commit(safeCut);
      return;
    }
    if (tail.length <= MAX_TAIL) return;

    // Forced: the piece starting at lastCut runs past the margin and is longer than MAX_TAIL.
    // Its predecessor boundaries are settled (the piece itself is known to follow them).
    if (lastCut > 0) this.commit(lastCut);
    const rest = this.tail;
    const restLimit = rest.length - STABLE_MARGIN;
    // Only a piece that is "long" for countTextTokens too may be sliced, or the two would disagree.
    if (restLimit <= LONG_PIECE_CHARS) return;
    let i = 0;
    for (;;) {
      const end = nextLongPieceSliceEnd(rest, i, Number.POSITIVE_INFINITY);
      if (end > restLimit) break;
      this.committed += encodeLength(this.enc, rest.slice(i, end));
      i = end;
    }
    if (i === 0) return;
    this.tail = rest.slice(i);
    this.continuing = true;
  }
}

/** A streaming completion-token counter for `model` (same encoding as {@link countTextTokens}). */
export function createStreamTokenCounter(model: string): StreamTokenCounter {
  return new Counter(encoderForModel(model));
}
