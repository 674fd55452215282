/**
 * tiktoken's byte-pair encoding, for counting only, over a rank table held in typed arrays.
 *
 * Why not js-tiktoken's own encoder: it keeps its ranks as a Map from "b1,b2,…" strings to ranks,
 * 300,000 entries for the two encodings (~27 MB of small heap objects). Every major garbage
 * collection marks all of them: a full GC of a gateway holding both took 15–20 ms instead of 2–3,
 * long enough to stall every open stream. Here the same table is four typed arrays (~5 MB for
 * both, which the collector never looks into), and counting a piece allocates nothing.
 *
 * The merge is tiktoken's: repeatedly join the adjacent pair whose bytes have the lowest rank (the
 * leftmost on a tie) until no pair is in the table; a piece that is itself a token counts 1. Tested
 * equal to js-tiktoken's `encode(text).length`.
 */
export class BpeRanks {
  /** Number of tokens in the table. */
  readonly size: number;
  /** Every token's bytes, one after another. */
  private readonly bytes: Uint8Array;
  /** Token i's bytes are bytes[starts[i] .. starts[i + 1]). */
  private readonly starts: Uint32Array;
  private readonly ranks: Uint32Array;
  /** Open-addressing hash table of token indexes + 1 (0 = empty slot). */
  private readonly slots: Int32Array;
  private readonly mask: number;

  private constructor(bytes: Uint8Array, starts: Uint32Array, ranks: Uint32Array) {
    this.bytes = bytes;
    this.starts = starts;
    this.ranks = ranks;
    this.size = ranks.length;
    let capacity = 1024;
    while (capacity < this.size * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let token = 0; token < this.size; token++) {
      const start = starts[token];
      const end = starts[token + 1];
      // A token listed twice keeps its later rank (as js-tiktoken's map does).
      let slot = hashBytes(bytes, start, end) & this.mask;
      for (;;) {
        const held = this.slots[slot];
        if (held === 0) {
          this.slots[slot] = token + 1;
          break;
        }
        if (this.sameBytes(held - 1, bytes, start, end)) {
          this.slots[slot] = token + 1;
          break;
        }
        slot = (slot + 1) & this.mask;
      }
    }
  }

  /**
   * Parses tiktoken's rank text as js-tiktoken ships it (`bpe_ranks`): lines of
   * `<tag> <first rank> <base64 token> <base64 token> …`, ranks counting up from the first.
   */
  static parse(bpeRanks: string): BpeRanks {
    // Upper bounds: a token is at least 4 base64 characters and one separator; its bytes are fewer than its characters.
    const maxTokens = Math.ceil(bpeRanks.length / 5) + 1;
    const bytes = new Uint8Array(bpeRanks.length);
    const starts = new Uint32Array(maxTokens + 1);
    const ranks = new Uint32Array(maxTokens);
    let tokens = 0;
    let written = 0;
    let lineStart = 0;
    while (lineStart < bpeRanks.length) {
      let lineEnd = bpeRanks.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = bpeRanks.length;
      const tagEnd = bpeRanks.indexOf(' ', lineStart);
      if (tagEnd >= 0 && tagEnd < lineEnd) {
        let fieldEnd = bpeRanks.indexOf(' ', tagEnd + 1);
        if (fieldEnd < 0 || fieldEnd > lineEnd) fieldEnd = lineEnd;
        const first = Number.parseInt(bpeRanks.slice(tagEnd + 1, fieldEnd), 10);
        if (!Number.isInteger(first)) throw new Error('tokenizer: malformed rank table (first rank)');
        let rank = first;
        let at = fieldEnd + 1;
        while (at < lineEnd) {
          let end = bpeRanks.indexOf(' ', at);
          if (end < 0 || end > lineEnd) end = lineEnd;
          if (end > at) {
            starts[tokens] = written;
            written = decodeBase64(bpeRanks, at, end, bytes, written);
            ranks[tokens] = rank;
            tokens++;
          }
          rank++;
          at = end + 1;
        }
      }
      lineStart = lineEnd + 1;
    }
    starts[tokens] = written;
    return new BpeRanks(bytes.slice(0, written), starts.slice(0, tokens + 1), ranks.slice(0, tokens));
  }

  /** Rank of the byte string buffer[start .. end), or -1 when it is not a token. */
  rankOf(buffer: Uint8Array, start: number, end: number): number {
    let slot = hashBytes(buffer, start, end) & this.mask;
    for (;;) {
      const held = this.slots[slot];
      if (held === 0) return -1;
      if (this.sameBytes(held - 1, buffer, start, end)) return this.ranks[held - 1];
      slot = (slot + 1) & this.mask;
    }
  }

  private sameBytes(token: number, buffer: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[token];
    if (this.starts[token + 1] - from !== end - start) return false;
    const bytes = this.bytes;
    for (let i = 0; i < end - start; i++) if (bytes[from + i] !== buffer[start + i]) return false;
    return true;
  }
}

/** FNV-1a over a byte range. */
function hashBytes(buffer: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ buffer[i], 0x01000193);
  return hash >>> 0;
}

const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) BASE64_VALUES['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/** Decodes text[start .. end) (standard base64, `=` padding) into out from `at`; returns the new end. */
function decodeBase64(text: string, start: number, end: number, out: Uint8Array, at: number): number {
  let bits = 0;
  let held = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 61) break; // '='
    const value = code < 128 ? BASE64_VALUES[code] : -1;
    if (value < 0) throw new Error('tokenizer: malformed rank table (base64)');
    bits = (bits << 6) | value;
    held += 6;
    if (held >= 8) {
      held -= 8;
      out[at++] = (bits >>> held) & 0xff;
    }
  }
  return at;
}

/**
 * Counts the tokens of single pre-tokenizer pieces against one rank table. Holds scratch buffers
 * that grow to the longest piece seen; one per encoding (counting is synchronous, never re-entered).
 */
export class BpeCounter {
  private readonly encoder = new TextEncoder();
  private buffer = new Uint8Array(256);
  /** Part boundaries: part i is buffer[bounds[i] .. bounds[i + 1]). */
  private bounds = new Int32Array(257);
  /** pairRanks[i]: rank of part i joined with part i + 1, or NONE. */
  private pairRanks = new Float64Array(256);

  constructor(private readonly ranks: BpeRanks) {}

  /** Tokens of `piece`: its UTF-8 bytes (lone surrogates as U+FFFD, like TextEncoder), byte-pair merged. */
  count(piece: string): number {
    if (piece.length === 0) return 0;
    const capacity = piece.length * 3;
    if (this.buffer.length < capacity) this.grow(capacity);
    const length = this.encoder.encodeInto(piece, this.buffer).written;
    return this.countBytes(length);
  }

  private grow(capacity: number): void {
    let size = this.buffer.length;
    while (size < capacity) size *= 2;
    this.buffer = new Uint8Array(size);
    this.bounds = new Int32Array(size + 1);
    this.pairRanks = new Float64Array(size);
  }

  private countBytes(length: number): number {
    const { ranks, buffer, bounds, pairRanks } = this;
    if (length === 1 || ranks.rankOf(buffer, 0, length) >= 0) return 1;
    let parts = length;
    for (let i = 0; i <= length; i++) bounds[i] = i;
    for (let i = 0; i < parts - 1; i++) pairRanks[i] = this.pairRank(i);
    while (parts > 1) {
      let best = -1;
      let bestRank = NONE;
      for (let i = 0; i < parts - 1; i++) {
        if (pairRanks[i] < bestRank) {
          bestRank = pairRanks[i];
          best = i;
        }
      }
      if (best < 0) break;
      // Part best absorbs part best + 1: drop the boundary between them and that pair's rank.
      bounds.copyWithin(best + 1, best + 2, parts + 1);
      pairRanks.copyWithin(best, best + 1, parts - 1);
      parts--;
      if (best < parts - 1) pairRanks[best] = this.pairRank(best);
      if (best > 0) pairRanks[best - 1] = this.pairRank(best - 1);
    }
    return parts;
  }

  /** Rank of parts i and i + 1 joined, or NONE. */
  private pairRank(i: number): number {
    const rank = this.ranks.rankOf(this.buffer, this.bounds[i], this.bounds[i + 2]);
    return rank < 0 ? NONE : rank;
  }
}

const NONE = Number.POSITIVE_INFINITY;
