import type { TiktokenBPE } from 'js-tiktoken/lite';
import { BpeCounter, BpeRanks } from './bpe';

export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Exact names tiktoken maps to o200k_base (tiktoken `model.py`). */
const O200K_EXACT: ReadonlySet<string> = new Set(['o1', 'o3', 'o4-mini', 'gpt-5', 'gpt-4.1', 'gpt-4o']);

/**
 * Prefixes tiktoken maps to o200k_base, plus `gpt-oss-` (o200k_harmony shares o200k_base's ranks;
 * only its special tokens differ, and we never emit special tokens).
 */
const O200K_PREFIXES: ReadonlyArray<string> = [
  'o1-',
  'o3-',
  'o4-mini-',
  'gpt-5',
  'gpt-4.5-',
  'gpt-4.1-',
  'chatgpt-4o-',
  'gpt-4o-',
  'ft:gpt-4o',
  'gpt-oss-',
];

/**
 * Which BPE encoding counts tokens for `model`. OpenAI's newer families (gpt-4o, o1/o3/o4-mini,
 * gpt-4.1, gpt-4.5, gpt-5, gpt-oss) use o200k_base; everything else — older OpenAI models and every
 * non-OpenAI model, whose own tokenizers we do not ship — uses cl100k_base, as New API does.
 * A vendor prefix ("openai/gpt-4o") is ignored so routed names pick the same encoding.
 */
export function encodingForModel(model: string): EncodingName {
  const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  if (O200K_EXACT.has(name)) return 'o200k_base';
  if (O200K_PREFIXES.some((p) => name.startsWith(p))) return 'o200k_base';
  return 'cl100k_base';
}

/** An encoding's rank table (counting only: see BpeRanks) plus its pre-tokenization pattern (needed by the streaming counter). */
export interface LoadedEncoding {
  readonly name: EncodingName;
  /** Counts the tokens of one pre-tokenizer piece. */
  readonly bpe: BpeCounter;
  /** tiktoken's split regex source; compile with flags "gu". */
  readonly pattern: string;
  /** The split regex, compiled once; used synchronously from lastIndex 0 (see encodeLength). */
  readonly splitter: RegExp;
  /** Token counts of short pieces already encoded (words recur: most pieces are found here). */
  readonly pieceTokens: Map<string, number>;
  /** Token counts of long texts already counted (chat clients resend the whole history every turn). */
  readonly textTokens: { readonly counts: Map<string, number>; chars: number };
}

/** Pieces up to this length are remembered in `pieceTokens`, up to PIECE_CACHE_ENTRIES of them. */
const CACHED_PIECE_CHARS = 32;
const PIECE_CACHE_ENTRIES = 50_000;
/** Texts from this length on are remembered whole in `textTokens`, up to a budget of characters. */
const CACHED_TEXT_MIN_CHARS = 256;
const TEXT_CACHE_CHARS = 4_000_000;

function isRankFile(value: unknown): value is TiktokenBPE {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof TiktokenBPE, unknown>>;
  return typeof v.pat_str === 'string' && typeof v.bpe_ranks === 'string' && typeof v.special_tokens === 'object';
}

function loadRanks(name: EncodingName): TiktokenBPE {
  // Required on first use, not imported: each rank table is a 1–2.3 MB module, so a process that
  // only ever sees one encoding never loads the other.
  const mod: unknown =
    name === 'o200k_base' ? require('js-tiktoken/ranks/o200k_base') : require('js-tiktoken/ranks/cl100k_base');
  if (isRankFile(mod)) return mod;
  const fallback = typeof mod === 'object' && mod !== null ? (mod as { default?: unknown }).default : undefined;
  if (isRankFile(fallback)) return fallback;
  throw new Error(`tokenizer: js-tiktoken rank file for ${name} has an unexpected shape`);
}

const encoders = new Map<EncodingName, LoadedEncoding>();

/** The shared encoder for `name`, built once per process from js-tiktoken's rank data. */
export function getEncoding(name: EncodingName): LoadedEncoding {
  let enc = encoders.get(name);
  if (!enc) {
    const ranks = loadRanks(name);
    enc = Object.freeze({
      name,
      bpe: new BpeCounter(BpeRanks.parse(ranks.bpe_ranks)),
      pattern: ranks.pat_str,
      splitter: new RegExp(ranks.pat_str, 'gu'),
      pieceTokens: new Map<string, number>(),
      textTokens: { counts: new Map<string, number>(), chars: 0 },
    });
    encoders.set(name, enc);
  }
  return enc;
}

/** Encoder for `model` (see {@link encodingForModel}). */
export function encoderForModel(model: string): LoadedEncoding {
  return getEncoding(encodingForModel(model));
}

/**
 * Pre-tokenizer pieces longer than this are counted in CHUNK-sized slices instead of as one piece.
 * The BPE merge is quadratic in the piece length (js-tiktoken's took ≈2.5 s for a single
 * 4000-letter word, ≈40 s for 16000), so one crafted "word" in a prompt could stall the event loop.
 * Real text almost never has pieces this long; for those that do, slicing changes the count by
 * well under 1%.
 */
export const LONG_PIECE_CHARS = 256;
const LONG_PIECE_CHUNK = 64;
/**
 * Cheap pre-check: a piece longer than LONG_PIECE_CHARS is built from at most two same-class runs
 * (letters/marks, whitespace, or punctuation followed by newlines), so one of them must be at least
 * half as long. Text without such a run takes the single-call fast path.
 */
const LONG_RUN = /[\p{L}\p{M}]{120,}|\s{120,}|[^\s\p{L}\p{N}]{120,}/u;

/** Index ≤ `at` that does not split a UTF-16 surrogate pair. */
export function safeSplitIndex(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return Math.max(0, Math.min(at, text.length));
  const prev = text.charCodeAt(at - 1);
  return prev >= 0xd800 && prev <= 0xdbff ? at - 1 : at;
}

/**
 * `encode(text).length`, computed piece by piece: tiktoken splits text with its regex and encodes
 * every piece on its own, so the count is the sum of the pieces' counts, and a piece's count can
 * be remembered. (A piece split out of a longer text comes out of the regex whole when alone: the
 * patterns look ahead only in `\s+(?!\S)`, which still matches a whitespace piece at its end.)
 * Once the words are known this costs a regex pass and a map lookup per piece.
 */
export function encodeLength(enc: LoadedEncoding, text: string): number {
  if (text.length === 0) return 0;
  const { splitter, pieceTokens } = enc;
  splitter.lastIndex = 0;
  let count = 0;
  let match: RegExpExecArray | null;
  while ((match = splitter.exec(text)) !== null) {
    const piece = match[0];
    if (piece.length === 0) {
      splitter.lastIndex++;
      continue;
    }
    let tokens = pieceTokens.get(piece);
    if (tokens === undefined) {
      tokens = encodePiece(enc, piece);
      if (piece.length <= CACHED_PIECE_CHARS) {
        if (pieceTokens.size >= PIECE_CACHE_ENTRIES) pieceTokens.clear();
        pieceTokens.set(piece, tokens);
      }
    }
    count += tokens;
  }
  return count;
}

function encodePiece(enc: LoadedEncoding, piece: string): number {
  // No special tokens: a user's "<|endoftext|>" is ordinary text.
  return enc.bpe.count(piece);
}

/**
 * End of the slice that starts at `i` when a long piece is counted in slices. Shared by the
 * whole-text and streaming paths so both cut a long piece at exactly the same places.
 */
export function nextLongPieceSliceEnd(piece: string, i: number, pieceEnd: number = piece.length): number {
  let end = Math.min(i + LONG_PIECE_CHUNK, pieceEnd);
  if (end < pieceEnd) end = safeSplitIndex(piece, end);
  return end > i ? end : Math.min(i + 2, pieceEnd); // a slice of one surrogate pair
}

/** Counts a long piece slice by slice (see LONG_PIECE_CHARS). */
export function countLongPiece(enc: LoadedEncoding, piece: string): number {
  let count = 0;
  for (let i = 0; i < piece.length; ) {
    const end = nextLongPieceSliceEnd(piece, i);
    count += encodeLength(enc, piece.slice(i, end));
    i = end;
  }
  return count;
}

/**
 * Number of tokens in `text` under `enc`. Exact (identical to `encode(text).length`) unless the text
 * contains a pre-tokenizer piece longer than LONG_PIECE_CHARS, which is counted slice by slice.
 */
export function countEncodedTokens(enc: LoadedEncoding, text: string): number {
  if (text.length < CACHED_TEXT_MIN_CHARS) return countUncached(enc, text);
  const cache = enc.textTokens;
  const known = cache.counts.get(text);
  if (known !== undefined) return known;
  const count = countUncached(enc, text);
  if (text.length <= TEXT_CACHE_CHARS / 4) {
    if (cache.chars + text.length > TEXT_CACHE_CHARS) {
      cache.counts.clear();
      cache.chars = 0;
    }
    cache.counts.set(text, count);
    cache.chars += text.length;
  }
  return count;
}

function countUncached(enc: LoadedEncoding, text: string): number {
  if (text.length === 0) return 0;
  if (!LONG_RUN.test(text)) return encodeLength(enc, text);

  // Slow path: encode the text between long pieces as usual, long pieces in slices. Cutting at a
  // piece boundary keeps the other pieces identical, since pieces never look behind.
  const splitter = new RegExp(enc.pattern, 'gu');
  let count = 0;
  let segmentStart = 0;
  for (const m of text.matchAll(splitter)) {
    if (m[0].length <= LONG_PIECE_CHARS) continue;
    const start = m.index;
    count += encodeLength(enc, text.slice(segmentStart, start));
    count += countLongPiece(enc, m[0]);
    segmentStart = start + m[0].length;
  }
  return count + encodeLength(enc, text.slice(segmentStart));
}

/** Token count of plain text for `model` (no message overhead). */
export function countTextTokens(model: string, text: string): number {
  if (!text) return 0;
  return countEncodedTokens(encoderForModel(model), text);
}
