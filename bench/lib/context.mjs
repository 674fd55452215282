/**
 * What every phase shares: the two arms (D = the fake directly, G = through the gateway), the
 * request bodies, the figures collected for the table, and the successful-request counts the
 * ledger check compares with the database.
 */
import { combineWindows } from './monitor.mjs';
import { round, spread } from './stats.mjs';

export const PATH = '/v1/chat/completions';
export const PROMPT = [{ role: 'user', content: 'Say hello to the benchmark.' }];

/** A chat request body as bytes (both arms send the same bytes). */
export function chatBody({ model = 'gpt-4o', stream = false, maxTokens = 16, bench = {} } = {}) {
  const body = { model, messages: PROMPT, max_tokens: maxTokens, x_bench: bench };
  if (stream) body.stream = true;
  return Buffer.from(JSON.stringify(body));
}

export class Figures {
  constructor() {
    this.rows = [];
  }

  /**
   * Adds a row. `pass`: true/false against the target, or null when the figure has no target.
   * `valid` false when the load side saturated; `noisy` when other work used the pinned cores.
   */
  add(row) {
    this.rows.push({ valid: true, noisy: false, pass: null, note: '', ...row });
  }
}

/** Formats a per-round spread as "median [min … max]". */
export function fmtSpread(s, unit = '', digits = 3) {
  const f = (v) => (Number.isFinite(v) ? round(v, digits).toString() : String(v));
  return `${f(s.median)}${unit} [${f(s.min)} … ${f(s.max)}]`;
}

/** Per-round differences and ratios of a statistic between arm G and arm D. */
export function paired(perRoundG, perRoundD) {
  const diff = perRoundG.map((g, i) => g - perRoundD[i]);
  const ratio = perRoundG.map((g, i) => g / perRoundD[i]);
  return { diff: spread(diff), ratio: spread(ratio) };
}

/**
 * Validity of a phase's monitor windows. Only windows that measured the gateway (`arm` G) must
 * not saturate the load core: arm D is a closed loop inside this process and keeps its core busy
 * by construction. Other processes using more than 0.15 of a core in over a quarter of the
 * windows make the phase noisy.
 */
export function validity(windows) {
  const g = windows.filter((w) => w.arm !== 'D');
  const c = combineWindows(g.length ? g : windows);
  const all = combineWindows(windows);
  // Noisy when other work crowded more than a quarter of the windows (the median over rounds absorbs fewer).
  return { ...c, maxOthers: all.maxOthers, noisyWindows: all.noisyWindows, valid: !c.loadSaturated, noisy: all.noisyWindows > all.windows / 4 };
}
