/**
 * Phase: streaming. Each round and arm runs `streams` SSE requests started at random moments
 * over one stream's duration (arrivals spread out; events of different streams not in lockstep). The fake sends the
 * role event, `chunks` content events, the finish event (and the usage event when asked) and
 * [DONE], every one its own write `interval_ms` apart, stamped with its send time.
 *
 * - TTFT: from the request's send to the arrival of the first content event.
 * - Forwarding delay: arrival − fake send time of every event after the role event (the gateway
 *   holds the role event until the first content by design, so it is left out; G − D is the
 *   delay the gateway adds).
 * - Merged: a socket read that completed more than one event (not counting the held role
 *   event delivered with the first content, which is counted apart as `held`).
 */
import { chatBody, fmtSpread, paired, PATH, validity } from '../lib/context.mjs';
import { RawSseClient } from '../lib/load.mjs';
import { startWindow } from '../lib/monitor.mjs';
import { percentile, round, shuffle, sleep, sorted } from '../lib/stats.mjs';

/** Runs one stream and sorts its outcome into the arm's accumulators. */
function collect(acc, result) {
  if (result.status !== 200 || result.error) {
    acc.errors++;
    return;
  }
  acc.ttft.push(result.ttftMs);
  for (const e of result.events) if (e.seq > 0) acc.delays.push(Number(e.recvNs - e.sentNs) / 1e6);
  for (const read of result.reads) {
    const others = read.seqs.filter((s) => s !== 0).length + (read.done ? 1 : 0);
    if (others >= 2) {
      acc.merged++;
      // Keep a few examples: which events came together and how far apart the fake sent them.
      if (acc.examples.length < 10) {
        const sent = result.events.filter((e) => read.seqs.includes(e.seq)).map((e) => e.sentNs);
        const spreadMs = sent.length > 1 ? Number(sent.reduce((a, b) => (b > a ? b : a)) - sent.reduce((a, b) => (b < a ? b : a))) / 1e6 : 0;
        acc.examples.push({ seqs: read.seqs, done: read.done, sentApartMs: Math.round(spreadMs * 1000) / 1000 });
      }
    }
    else if (read.seqs.includes(0) && others === 1) acc.held++;
  }
  acc.reads += result.reads.length;
  acc.events += result.events.length;
}

/**
 * Measures; figures are added by addStreamingFigures, so a caller may measure again (smoke: a
 * merge seen while other work crowded the pinned cores is measured again before it counts).
 */
export async function measureStreaming(ctx, { rounds, streams, chunks, intervalMs }) {
  const body = chatBody({ stream: true, bench: { chunks, interval_ms: intervalMs, chunk_chars: 8, latency_ms: 0 } });
  const clients = { D: new RawSseClient(ctx.D.origin), G: new RawSseClient(ctx.G.origin) };
  const headers = ctx.headers(ctx.tokens.limited);
  const perRound = { D: { ttft: [], d50: [], d99: [] }, G: { ttft: [], d50: [], d99: [] } };
  const totals = {
    D: { ttft: [], delays: [], merged: 0, held: 0, errors: 0, reads: 0, events: 0, examples: [] },
    G: { ttft: [], delays: [], merged: 0, held: 0, errors: 0, reads: 0, events: 0, examples: [] },
  };
  const windows = [];
  for (let r = 0; r < rounds; r++) {
    for (const arm of shuffle(['D', 'G'])) {
      const acc = { ttft: [], delays: [], merged: 0, held: 0, errors: 0, reads: 0, events: 0, examples: [] };
      const w = startWindow(arm === 'G' ? ctx.gateway : null, ctx.cores);
      await Promise.all(
        Array.from({ length: streams }, async () => {
          // Arrivals spread over one stream's length: a steady mix of starting and running streams.
          await sleep(Math.random() * chunks * intervalMs);
          collect(acc, await clients[arm].stream({ path: PATH, headers, body }));
        }),
      );
      windows.push({ ...w.end(), arm });
      perRound[arm].ttft.push(percentile(acc.ttft, 50));
      const s = sorted(acc.delays);
      perRound[arm].d50.push(percentile(s, 50));
      perRound[arm].d99.push(percentile(s, 99));
      const t = totals[arm];
      t.ttft.push(...acc.ttft);
      t.delays.push(...acc.delays);
      for (const k of ['merged', 'held', 'errors', 'reads', 'events']) t[k] += acc[k];
      t.examples.push(...acc.examples.slice(0, 10 - t.examples.length));
      if (arm === 'G') ctx.countSuccess(ctx.tokens.limited, streams - acc.errors);
    }
  }
  clients.D.close();
  clients.G.close();
  const ttft = paired(perRound.G.ttft, perRound.D.ttft);
  const d50 = paired(perRound.G.d50, perRound.D.d50);
  const d99 = paired(perRound.G.d99, perRound.D.d99);
  const v = validity(windows);
  const abs = (arm, key, p) => round(percentile(totals[arm][key], p));
  const summary = Object.fromEntries(Object.entries(totals).map(([arm, t]) => [arm, { merged: t.merged, held: t.held, errors: t.errors, reads: t.reads, events: t.events, mergedExamples: t.examples }]));
  return {
    rounds,
    streams,
    chunks,
    intervalMs,
    ttft,
    delayP50: d50,
    delayP99: d99,
    absolute: {
      ttftP50: { D: abs('D', 'ttft', 50), G: abs('G', 'ttft', 50) },
      delayP50: { D: abs('D', 'delays', 50), G: abs('G', 'delays', 50) },
      delayP99: { D: abs('D', 'delays', 99), G: abs('G', 'delays', 99) },
    },
    totals: summary,
    monitor: v,
  };
}

export function addStreamingFigures(ctx, result) {
  const { ttft, delayP50: d50, delayP99: d99, monitor: v, absolute: a, totals, rounds, streams } = result;
  ctx.errors.push({ phase: 'streaming', errors: totals.G.errors });
  ctx.figures.add({
    id: 'streaming.added_ttft_p50_ms',
    figure: 'streaming, added TTFT (p50)',
    measured: fmtSpread(ttft.diff, ' ms'),
    value: ttft.diff.median,
    target: '≤ 0.5 ms',
    pass: ttft.diff.median <= 0.5,
    valid: v.valid,
    noisy: v.noisy,
    note: `TTFT p50 D ${a.ttftP50.D} ms, G ${a.ttftP50.G} ms`,
  });
  ctx.figures.add({
    id: 'streaming.added_chunk_delay_p50_ms',
    figure: 'streaming, added chunk forwarding delay p50',
    measured: fmtSpread(d50.diff, ' ms'),
    value: d50.diff.median,
    target: '—',
    pass: null,
    valid: v.valid,
    noisy: v.noisy,
    note: `delay p50 D ${a.delayP50.D} ms, G ${a.delayP50.G} ms`,
  });
  ctx.figures.add({
    id: 'streaming.added_chunk_delay_p99_ms',
    figure: 'streaming, added chunk forwarding delay p99',
    measured: fmtSpread(d99.diff, ' ms'),
    value: d99.diff.median,
    target: '≤ 2 ms',
    pass: d99.diff.median <= 2,
    valid: v.valid,
    noisy: v.noisy,
    note: `delay p99 D ${a.delayP99.D} ms, G ${a.delayP99.G} ms; ${totals.G.events} events in ${rounds * streams} streams`,
  });
  ctx.figures.add({
    id: 'streaming.merged_chunks',
    figure: 'streaming, merged chunks (G)',
    measured: `${totals.G.merged} of ${totals.G.reads} reads (D: ${totals.D.merged})`,
    value: totals.G.merged,
    target: '0',
    pass: totals.G.merged === 0,
    valid: v.valid,
    noisy: v.noisy,
    note: `role event held and sent with the first content in ${totals.G.held} streams (by design, not counted)${
      totals.G.mergedExamples.length ? `; merged events had been sent ${totals.G.mergedExamples.map((e) => e.sentApartMs).join(', ')} ms apart by the fake` : ''
    }`,
  });
}
