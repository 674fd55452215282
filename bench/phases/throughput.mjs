/**
 * Phase: capacity at fixed concurrency (autocannon, 64 connections, zero-latency fake), arms D
 * and G in shuffled rounds. Throughput ratio = G req/s ÷ D req/s per round. Gateway CPU per
 * request = its CPU time (/proc/<pid>/stat, all threads) over the requests it answered.
 *
 * Arm D is bounded by the load core by construction (autocannon and the fake share it), so only
 * arm G is held to the no-saturation rule: if the load side saturates while driving the gateway,
 * the gateway was not the bottleneck and the figure is invalid.
 *
 * With `ctx.B` (the bare Node.js pass-through proxy, pinned like the gateway) a third arm measures
 * the floor: what any Node.js hop serves and costs in CPU per request on this machine.
 */
import { chatBody, fmtSpread, paired, validity } from '../lib/context.mjs';
import { cannon } from '../lib/load.mjs';
import { startWindow } from '../lib/monitor.mjs';
import { round, shuffle, spread } from '../lib/stats.mjs';

/**
 * `cluster`: the gateway runs CLUSTER_WORKERS workers unpinned (one of them shares the load's
 * core); its figures are reported apart, for information, next to the one-core figures.
 */
export async function throughputPhase(ctx, { rounds, seconds, warmupSeconds, connections = 64, cluster = false }) {
  const body = chatBody();
  const headers = { ...ctx.headers(ctx.tokens.limited) };
  const urls = { D: `${ctx.D.origin}/v1/chat/completions`, G: `${ctx.G.origin}/v1/chat/completions` };
  const arms = ['D', 'G'];
  if (ctx.B && !cluster) {
    urls.B = `${ctx.B.origin}/v1/chat/completions`;
    arms.push('B');
  }
  for (const arm of arms) {
    const warm = await cannon({ url: urls[arm], connections, seconds: warmupSeconds, headers, body });
    if (arm === 'G') ctx.countSuccess(ctx.tokens.limited, warm['2xx'], connections);
  }
  const rps = { D: [], G: [], B: [] };
  const cpuPerRequest = [];
  const bareCpuPerRequest = [];
  const gWindows = [];
  const dWindows = [];
  const bWindows = [];
  const raw = [];
  let errors = 0;
  for (let r = 0; r < rounds; r++) {
    for (const arm of shuffle(arms)) {
      const w = startWindow(arm === 'G' ? ctx.gateway : arm === 'B' ? ctx.B.process : null, ctx.cores);
      const result = await cannon({ url: urls[arm], connections, seconds, headers, body });
      const win = w.end();
      ({ G: gWindows, D: dWindows, B: bWindows })[arm].push(win);
      const answered = result['2xx'] + result.non2xx;
      rps[arm].push(answered / (win.wallMs / 1000));
      if (arm === 'B') {
        bareCpuPerRequest.push(win.gatewayCpuUs / Math.max(1, answered));
        errors += result.non2xx + result.errors + result.timeouts;
      }
      if (arm === 'G') {
        cpuPerRequest.push(win.gatewayCpuUs / Math.max(1, answered));
        ctx.countSuccess(ctx.tokens.limited, result['2xx'], connections);
        errors += result.non2xx + result.errors + result.timeouts;
      }
      raw.push({ round: r, arm, ok: result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, p50: result.latency.p50, p99: result.latency.p99, loadShare: round(win.loadShare), gatewayShare: round(win.gatewayShare) });
    }
  }
  const ratio = paired(rps.G, rps.D).ratio;
  const cpu = spread(cpuPerRequest);
  const gv = validity(gWindows);
  const dv = validity(dWindows);
  ctx.errors.push({ phase: cluster ? 'cluster' : 'throughput', errors });
  const g = spread(rps.G);
  const d = spread(rps.D);
  if (cluster) {
    const workers = ctx.gateway.workers;
    ctx.figures.add({
      id: 'cluster.ratio_c64',
      figure: `cluster mode (${workers} workers, unpinned): throughput vs direct, concurrency 64 (G/D)`,
      measured: fmtSpread(ratio, '', 3),
      value: ratio.median,
      target: 'info',
      pass: null,
      valid: true,
      noisy: false,
      note: `G ${Math.round(g.median)} req/s, D ${Math.round(d.median)} req/s; the workers share the machine's cores with the load generator and fake (load side ${round(gv.maxLoadShare, 2)} of a core), so this is what one machine serves end to end, not a per-core figure`,
    });
    ctx.figures.add({
      id: 'cluster.cpu_us_per_request',
      figure: `cluster mode (${workers} workers): gateway CPU per non-stream request (primary + workers)`,
      measured: fmtSpread(cpu, ' µs', 0),
      value: cpu.median,
      target: 'info',
      pass: null,
      valid: true,
      noisy: false,
      note: `gateway processes used ${round(Math.max(...gWindows.map((w) => w.gatewayShare)), 2)} cores in all`,
    });
    return { rounds, seconds, connections, workers, rps: { G: g, D: d }, ratio, cpuPerRequest: cpu, raw, monitor: { G: gv, D: dv } };
  }
  ctx.figures.add({
    id: 'throughput.ratio_c64',
    figure: 'throughput vs direct, concurrency 64, zero-latency fake (G/D)',
    measured: fmtSpread(ratio, '', 3),
    value: ratio.median,
    target: '≥ 0.5',
    pass: ratio.median >= 0.5,
    valid: gv.valid,
    noisy: gv.noisy || dv.noisy,
    note: `G ${Math.round(g.median)} req/s, D ${Math.round(d.median)} req/s (D is bound by the load core: load ${round(dv.maxLoadShare, 2)} of a core)`,
  });
  ctx.figures.add({
    id: 'throughput.cpu_us_per_request',
    figure: 'gateway CPU per non-stream request',
    measured: fmtSpread(cpu, ' µs', 0),
    value: cpu.median,
    target: '≤ 250 µs',
    pass: cpu.median <= 250,
    valid: gv.valid,
    noisy: gv.noisy,
    note: `≈ ${Math.round(1e6 / cpu.median)} requests/s per core; gateway used ${round(Math.max(...gWindows.map((w) => w.gatewayShare)), 2)} of its core, load side ${round(gv.maxLoadShare, 2)}`,
  });
  let bare = null;
  if (arms.includes('B')) {
    const bareRatio = paired(rps.B, rps.D).ratio;
    const bareCpu = spread(bareCpuPerRequest);
    const bv = validity(bWindows);
    const b = spread(rps.B);
    bare = { rps: b, ratio: bareRatio, cpuPerRequest: bareCpu, gatewayOverBareCpu: spread(cpuPerRequest.map((c, i) => c / bareCpuPerRequest[i])), monitor: bv };
    ctx.figures.add({
      id: 'throughput.bare_proxy_ratio_c64',
      figure: 'reference: a bare Node.js pass-through proxy, throughput vs direct (B/D)',
      measured: fmtSpread(bareRatio, '', 3),
      value: bareRatio.median,
      target: '— (the ceiling of a Node hop here)',
      pass: null,
      valid: bv.valid,
      noisy: bv.noisy || dv.noisy,
      note: `B ${Math.round(b.median)} req/s; the same load, pinned like the gateway`,
    });
    ctx.figures.add({
      id: 'throughput.bare_proxy_cpu_us_per_request',
      figure: 'reference: a bare Node.js pass-through proxy, CPU per request',
      measured: fmtSpread(bareCpu, ' µs', 0),
      value: bareCpu.median,
      target: '— (the floor of a Node hop here)',
      pass: null,
      valid: bv.valid,
      noisy: bv.noisy,
      note: `gateway / bare, per round: ${fmtSpread(bare.gatewayOverBareCpu, '', 2)}`,
    });
  }
  return { rounds, seconds, connections, rps: { G: g, D: d }, ratio, cpuPerRequest: cpu, bare, raw, monitor: { G: gv, D: dv } };
}
