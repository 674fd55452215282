/** Small statistics helpers: percentiles by nearest rank, medians, spreads across rounds. */

export function sorted(values) {
  return Float64Array.from(values).sort();
}

/** Nearest-rank percentile (p in 0..100) of an array (sorted or not). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = values instanceof Float64Array ? values : sorted(values);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

export function median(values) {
  return percentile(values, 50);
}

export function mean(values) {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Median with the min..max range of per-round values. */
export function spread(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN, rounds: values };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), rounds: values.map((v) => round(v, 4)) };
}

export function round(value, digits = 3) {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Fisher-Yates shuffle (a copy). */
export function shuffle(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A sleep that does not keep the process alive (for timeouts raced against work). */
export const sleepUnref = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Nanoseconds (bigint from process.hrtime.bigint) to milliseconds as a float. */
export const nsToMs = (ns) => Number(ns) / 1e6;
