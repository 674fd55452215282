/**
 * Phase: billing on versus off, sequential requests on a gateway of its own (the option toggling
 * below must not touch the ledger the main run checks).
 *
 * Arms, in shuffled rounds: D (direct), G-limited (billing on: a limited key, ratio-priced model;
 * the key's balance is read, worst case reserved from key and wallet, settled by delta, consume
 * log, usage counters, hourly rollup), G-unlimited (billing on with an unlimited key: no
 * reservation, settle counts usage), and G-off: "billing off" as far as the gateway allows it —
 * an unlimited key, a model priced at 0 (nothing reserved or moved) and LogConsumeEnabled false
 * while the arm runs (no consume log). What remains in "off" is the request counter UPDATE of the
 * wallet and the in-memory rollup; the gateway has no switch that removes those.
 */
import { chatBody, fmtSpread, paired, PATH, validity } from '../lib/context.mjs';
import { FREE_MODEL } from '../lib/gateway.mjs';
import { sequential } from '../lib/load.mjs';
import { startWindow } from '../lib/monitor.mjs';
import { percentile, round, shuffle, sleep, sorted } from '../lib/stats.mjs';

export async function billingPhase(ctx, { rounds, perArm, label = '' }) {
  const onBody = chatBody();
  const offBody = chatBody({ model: FREE_MODEL });
  const arms = {
    D: { dispatcher: ctx.D.client, headers: ctx.headers(ctx.tokens.limited), body: onBody },
    limited: { dispatcher: ctx.G.client, headers: ctx.headers(ctx.tokens.limited), body: onBody },
    unlimited: { dispatcher: ctx.G.client, headers: ctx.headers(ctx.tokens.unlimited), body: onBody },
    off: { dispatcher: ctx.G.client, headers: ctx.headers(ctx.tokens.unlimited), body: offBody },
  };
  // Warm every arm (JIT, caches) before measuring.
  for (const arm of Object.keys(arms)) await sequential(arms[arm].dispatcher, { n: 200, path: PATH, headers: arms[arm].headers, body: arms[arm].body });
  const p50 = { D: [], limited: [], unlimited: [], off: [] };
  // Gateway CPU time per arm, summed over the rounds (/proc counts in 10 ms ticks: one round is too short).
  const cpu = { limited: 0, unlimited: 0, off: 0 };
  const windows = [];
  let errors = 0;
  for (let r = 0; r < rounds; r++) {
    for (const arm of shuffle(Object.keys(arms))) {
      if (arm === 'off') {
        await sleep(300); // settlements of the previous arm finish with logging on
        await ctx.admin.setOption('LogConsumeEnabled', 'false');
        await sleep(300); // the option change's cache reload is not counted in the arm
      }
      const w = startWindow(arm === 'D' ? null : ctx.gateway, ctx.cores);
      const result = await sequential(arms[arm].dispatcher, { n: perArm, path: PATH, headers: arms[arm].headers, body: arms[arm].body });
      const win = w.end();
      windows.push({ ...win, arm });
      if (arm !== 'D') {
        errors += result.errors;
        // The gateway's CPU per request: steadier than latency for a difference this small.
        cpu[arm] += win.gatewayCpuUs;
      }
      p50[arm].push(percentile(sorted(result.latencies), 50));
      if (arm === 'off') {
        await sleep(300);
        await ctx.admin.setOption('LogConsumeEnabled', 'true');
        await sleep(300);
      }
    }
  }
  const v = validity(windows);
  const limitedVsOff = paired(p50.limited, p50.off);
  const unlimitedVsOff = paired(p50.unlimited, p50.off);
  const offVsD = paired(p50.off, p50.D);
  const perRequest = (arm) => cpu[arm] / (rounds * perArm);
  const cpuOff = perRequest('off');
  const cpuLimited = perRequest('limited') - cpuOff;
  const cpuUnlimited = perRequest('unlimited') - cpuOff;
  ctx.errors.push({ phase: `billing${label}`, errors });
  const suffix = label ? ` ${label}` : '';
  ctx.figures.add({
    id: `billing.on_vs_off_p50_ms.limited${label ? `.${label.replace(/\W+/g, '_')}` : ''}`,
    figure: `billing on vs off, p50, limited key${suffix}`,
    measured: fmtSpread(limitedVsOff.diff, ' ms'),
    value: limitedVsOff.diff.median,
    target: '≤ 0.1 ms',
    pass: limitedVsOff.diff.median <= 0.1,
    valid: v.valid,
    noisy: v.noisy,
    note: `gateway CPU per request, all rounds: on ${Math.round(cpuLimited + cpuOff)} µs, off ${Math.round(cpuOff)} µs (+${Math.round(cpuLimited)} µs); off adds ${round(offVsD.diff.median)} ms p50 over direct`,
  });
  ctx.figures.add({
    id: `billing.on_vs_off_p50_ms.unlimited${label ? `.${label.replace(/\W+/g, '_')}` : ''}`,
    figure: `billing on vs off, p50, unlimited key${suffix}`,
    measured: fmtSpread(unlimitedVsOff.diff, ' ms'),
    value: unlimitedVsOff.diff.median,
    target: '≤ 0.1 ms',
    pass: unlimitedVsOff.diff.median <= 0.1,
    valid: v.valid,
    noisy: v.noisy,
    note: `gateway CPU per request, all rounds: on ${Math.round(cpuUnlimited + cpuOff)} µs, off ${Math.round(cpuOff)} µs (+${Math.round(cpuUnlimited)} µs)`,
  });
  return { rounds, perArm, limitedVsOff, unlimitedVsOff, offVsD, cpuPerRequestUs: { limited: cpuLimited + cpuOff, unlimited: cpuUnlimited + cpuOff, off: cpuOff }, errors, monitor: v };
}
