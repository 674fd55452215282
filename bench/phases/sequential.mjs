/**
 * Phase: sequential added latency. One request at a time (keep-alive), zero-latency fake, arms D
 * and G interleaved in shuffled rounds. Added latency = G − D of each round's p50 and p99.
 *
 * With `ctx.B` (a bare Node.js pass-through proxy pinned like the gateway: no auth, routing or
 * billing), a third arm shows what any Node.js hop costs on this machine (B − D) and what the
 * gateway's own work adds on top of it (G − B).
 */
import { chatBody, fmtSpread, paired, PATH, validity } from '../lib/context.mjs';
import { sequential } from '../lib/load.mjs';
import { startWindow } from '../lib/monitor.mjs';
import { percentile, round, shuffle, sorted } from '../lib/stats.mjs';

export async function sequentialPhase(ctx, { rounds, perArm }) {
  const body = chatBody();
  const arms = {
    D: { dispatcher: ctx.D.client, headers: ctx.headers(ctx.tokens.limited) },
    G: { dispatcher: ctx.G.client, headers: ctx.headers(ctx.tokens.limited) },
  };
  if (ctx.B) arms.B = { dispatcher: ctx.B.client, headers: ctx.headers(ctx.tokens.limited) };
  const per = { D: { p50: [], p99: [], all: [] }, G: { p50: [], p99: [], all: [] }, B: { p50: [], p99: [], all: [] } };
  const windows = [];
  let errors = 0;
  for (let r = 0; r < rounds; r++) {
    for (const arm of shuffle(Object.keys(arms))) {
      const w = startWindow(arm === 'G' ? ctx.gateway : null, ctx.cores);
      const result = await sequential(arms[arm].dispatcher, { n: perArm, path: PATH, headers: arms[arm].headers, body });
      windows.push({ ...w.end(), arm });
      const s = sorted(result.latencies);
      per[arm].p50.push(percentile(s, 50));
      per[arm].p99.push(percentile(s, 99));
      per[arm].all.push(...result.latencies);
      if (arm === 'G') {
        ctx.countSuccess(ctx.tokens.limited, result.ok);
        errors += result.errors;
      }
    }
  }
  const p50 = paired(per.G.p50, per.D.p50);
  const p99 = paired(per.G.p99, per.D.p99);
  const v = validity(windows);
  const pooled = {
    D: { p50: percentile(per.D.all, 50), p99: percentile(per.D.all, 99) },
    G: { p50: percentile(per.G.all, 50), p99: percentile(per.G.all, 99) },
  };
  ctx.errors.push({ phase: 'sequential', errors });
  ctx.figures.add({
    id: 'sequential.added_p50_ms',
    figure: 'added latency, sequential, p50',
    measured: fmtSpread(p50.diff, ' ms'),
    value: p50.diff.median,
    target: '≤ 0.5 ms',
    pass: p50.diff.median <= 0.5,
    valid: v.valid,
    noisy: v.noisy,
    note: `D p50 ${round(pooled.D.p50)} ms, G p50 ${round(pooled.G.p50)} ms, G/D ${round(p50.ratio.median, 2)}`,
  });
  ctx.figures.add({
    id: 'sequential.added_p99_ms',
    figure: 'added latency, sequential, p99',
    measured: fmtSpread(p99.diff, ' ms'),
    value: p99.diff.median,
    target: '≤ 1.5 ms',
    pass: p99.diff.median <= 1.5,
    valid: v.valid,
    noisy: v.noisy,
    note: `D p99 ${round(pooled.D.p99)} ms, G p99 ${round(pooled.G.p99)} ms, G/D ${round(p99.ratio.median, 2)}`,
  });
  let bare = null;
  if (ctx.B) {
    const bareP50 = paired(per.B.p50, per.D.p50);
    const overBare = paired(per.G.p50, per.B.p50);
    bare = { p50: bareP50, gatewayOverBareP50: overBare, pooledP50: percentile(per.B.all, 50) };
    ctx.figures.add({
      id: 'sequential.bare_proxy_added_p50_ms',
      figure: 'reference: a bare Node.js pass-through proxy (no auth, routing, billing), added p50',
      measured: fmtSpread(bareP50.diff, ' ms'),
      value: bareP50.diff.median,
      target: '— (the floor of a Node hop here)',
      pass: null,
      valid: v.valid,
      noisy: v.noisy,
      note: `B p50 ${round(bare.pooledP50)} ms: read the body, forward it with undici, write the reply; pinned like the gateway`,
    });
    ctx.figures.add({
      id: 'sequential.gateway_over_bare_p50_ms',
      figure: "the gateway's own work, sequential p50 (G − B)",
      measured: fmtSpread(overBare.diff, ' ms'),
      value: overBare.diff.median,
      target: 'info',
      pass: null,
      valid: v.valid,
      noisy: v.noisy,
      note: 'auth, routing, admission (balance read + reservation commit), settlement and the log row, over the bare hop',
    });
  }
  return { rounds, perArm, p50, p99, pooled, bare, errors, monitor: v };
}
