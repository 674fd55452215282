/**
 * Minimal exact decimal arithmetic on BigInt.
 *
 * Why: quota formulas multiply token counts by ratios such as 0.075 or 4/3. Doing that in binary
 * floating point can land a product like 3487.5 on 3487.4999999 and flip the rounding. New API
 * ([latest]) does the same computation with shopspring/decimal, converting each float64 ratio
 * through its shortest decimal representation (`decimal.NewFromFloat`). `String(x)` in JS yields
 * that same shortest round-trip representation, so converting through it and then multiplying
 * exactly reproduces the Go results bit for bit.
 *
 * A value is `coef × 10^-scale`, with `scale >= 0`.
 */
export interface Decimal {
  readonly coef: bigint;
  readonly scale: number;
}

const POW10_CACHE: bigint[] = [1n];

function pow10(n: number): bigint {
  for (let i = POW10_CACHE.length; i <= n; i++) POW10_CACHE.push(POW10_CACHE[i - 1] * 10n);
  return POW10_CACHE[n];
}

export const DEC_ZERO: Decimal = Object.freeze({ coef: 0n, scale: 0 });
export const DEC_ONE: Decimal = Object.freeze({ coef: 1n, scale: 0 });

const NUMBER_RE = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

/**
 * Decimals of the fractional numbers seen so far. The same few ratios (0.075, 1.25, 4/3…) come
 * through on every request; parsing each one's string once saves a regex and a BigInt per use.
 * Bounded, because numbers such as prompt-token estimates × ratios are not a fixed set.
 */
const FRACTION_CACHE = new Map<number, Decimal>();
const FRACTION_CACHE_LIMIT = 4096;

/** Exact decimal of a finite JS number, via its shortest round-trip string. Throws on NaN/Infinity. */
export function dec(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`billing-math: non-finite number ${x}`);
  if (Number.isInteger(x) && Number.isSafeInteger(x)) return { coef: BigInt(x), scale: 0 };
  let cached = FRACTION_CACHE.get(x);
  if (cached === undefined) {
    cached = Object.freeze(parseDecimal(x));
    if (FRACTION_CACHE.size >= FRACTION_CACHE_LIMIT) FRACTION_CACHE.clear();
    FRACTION_CACHE.set(x, cached);
  }
  return cached;
}

function parseDecimal(x: number): Decimal {
  const m = NUMBER_RE.exec(String(x));
  if (!m) throw new RangeError(`billing-math: cannot parse number ${x}`);
  const [, sign, intPart, fracPart = '', expPart = '0'] = m;
  let coef = BigInt(intPart + fracPart);
  let scale = fracPart.length - Number(expPart);
  if (scale < 0) {
    coef *= pow10(-scale);
    scale = 0;
  }
  return { coef: sign === '-' ? -coef : coef, scale };
}

export function decMul(a: Decimal, b: Decimal): Decimal {
  return { coef: a.coef * b.coef, scale: a.scale + b.scale };
}

export function decAdd(a: Decimal, b: Decimal): Decimal {
  if (a.scale === b.scale) return { coef: a.coef + b.coef, scale: a.scale };
  if (a.scale > b.scale) return { coef: a.coef + b.coef * pow10(a.scale - b.scale), scale: a.scale };
  return { coef: a.coef * pow10(b.scale - a.scale) + b.coef, scale: b.scale };
}

export function decSub(a: Decimal, b: Decimal): Decimal {
  return decAdd(a, { coef: -b.coef, scale: b.scale });
}

export function decSign(a: Decimal): -1 | 0 | 1 {
  return a.coef === 0n ? 0 : a.coef > 0n ? 1 : -1;
}

export function decIsZero(a: Decimal): boolean {
  return a.coef === 0n;
}

/** Truncate toward zero (Go `int(f)` semantics). */
export function decTrunc(a: Decimal): bigint {
  return a.coef / pow10(a.scale); // BigInt division truncates toward zero
}

/** Round half away from zero (`decimal.Round(0)` / `math.Round`). */
export function decRound(a: Decimal): bigint {
  if (a.scale === 0) return a.coef;
  const unit = pow10(a.scale);
  const q = a.coef / unit;
  const r = a.coef % unit; // same sign as coef
  const twiceAbsR = (r < 0n ? -r : r) * 2n;
  if (twiceAbsR >= unit) return a.coef < 0n ? q - 1n : q + 1n;
  return q;
}

/** Compare a decimal with an integer: negative, zero or positive like a comparator. */
export function decCompareInt(a: Decimal, n: bigint): number {
  const scaled = n * pow10(a.scale);
  return a.coef < scaled ? -1 : a.coef > scaled ? 1 : 0;
}
