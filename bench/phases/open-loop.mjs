/**
 * Phase: added p99 under open-loop load. Requests arrive on a fixed schedule (rate per second)
 * whatever the answers; the fake answers after a fixed latency. Arms D and G in shuffled rounds;
 * added p99 = G − D of each round's p99. A generator more than 2 ms late (p99 of send − plan) or
 * a saturated load core makes the figure invalid.
 */
import { chatBody, fmtSpread, paired, PATH, validity } from '../lib/context.mjs';
import { openLoop } from '../lib/load.mjs';
import { startWindow } from '../lib/monitor.mjs';
import { percentile, round, shuffle, sorted } from '../lib/stats.mjs';

export async function openLoopPhase(ctx, { rates, rounds, seconds, latencyMs }) {
  const body = chatBody({ bench: { latency_ms: latencyMs } });
  const headers = ctx.headers(ctx.tokens.limited);
  const results = [];
  for (const rate of rates) {
    const p99 = { D: [], G: [] };
    const p50 = { D: [], G: [] };
    const windows = [];
    let lagP99 = 0;
    let errors = 0;
    let maxOutstanding = 0;
    let gatewayShare = 0;
    let slowestCompletion = Infinity;
    for (let r = 0; r < rounds; r++) {
      for (const arm of shuffle(['D', 'G'])) {
        const w = startWindow(arm === 'G' ? ctx.gateway : null, ctx.cores);
        const result = await openLoop(ctx[arm].wide, { rate, durationMs: seconds * 1000, path: PATH, headers, body });
        const win = w.end();
        windows.push({ ...win, arm });
        const s = sorted(result.latencies);
        p99[arm].push(percentile(s, 99));
        p50[arm].push(percentile(s, 50));
        lagP99 = Math.max(lagP99, percentile(result.lags, 99));
        if (arm === 'G') {
          ctx.countSuccess(ctx.tokens.limited, result.ok);
          errors += result.errors;
          maxOutstanding = Math.max(maxOutstanding, result.maxOutstanding);
          gatewayShare = Math.max(gatewayShare, win.gatewayShare);
          // Answers per second over the window: below the offered rate means the gateway fell behind.
          slowestCompletion = Math.min(slowestCompletion, result.latencies.length / (win.wallMs / 1000));
        }
      }
    }
    const added = paired(p99.G, p99.D);
    const added50 = paired(p50.G, p50.D);
    const v = validity(windows);
    const late = lagP99 > 2;
    // Over capacity: the gateway could not keep up, its queue grew for the whole window.
    const overCapacity = slowestCompletion < rate * 0.9 || percentile(p99.G, 50) > 1000;
    ctx.errors.push({ phase: `open-loop ${rate}/s`, errors });
    ctx.figures.add({
      id: `open_loop.added_p99_ms.${rate}`,
      figure: `added p99, open loop ${rate} req/s (fake ${latencyMs} ms)`,
      measured: fmtSpread(added.diff, ' ms'),
      value: added.diff.median,
      target: '— (≤ 1.5 ms as sequential)',
      pass: null,
      valid: v.valid && !late,
      noisy: v.noisy,
      note: `${overCapacity ? 'OVER CAPACITY: ' : ''}added p50 ${round(added50.diff.median)} ms; gateway busy ${round(gatewayShare, 2)} of its core; ${maxOutstanding} max in flight${late ? `; generator late (lag p99 ${round(lagP99)} ms)` : ''}${errors ? `; ${errors} errors` : ''}`,
    });
    results.push({ rate, added, added50, lagP99, errors, maxOutstanding, gatewayShare, overCapacity, monitor: v });
  }
  return { rounds, seconds, latencyMs, results };
}
