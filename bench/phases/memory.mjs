/**
 * Phase: resident memory of the gateway (VmRSS of /proc/<pid>/status). Each part runs on a
 * freshly started gateway, so "before" is a settled process and not a heap that an earlier phase
 * already grew (V8 keeps the heap it grew; a second measurement in the same process reads low).
 *
 * - Concurrent long streams (`levels`): K streams are opened, spread over the fake's listeners
 *   (several upstream origins, so the gateway's per-origin connection cap does not hide streams),
 *   held open with one small event a second each, RSS sampled, then all released. Memory per
 *   1,000 streams = (peak − before) / K × 1000, from the first cycle (fresh process). Repeated for
 *   `cycles`; drift = RSS after the last cycle vs after the first, and the same for the peaks.
 * - Growth with output length: K streams each receive L bytes of content and are then held open
 *   (not finished); once the client has read everything, RSS is sampled. A gateway that keeps the
 *   output (as New API does until the end of a stream) grows with K × L; one that forwards and
 *   forgets stays flat.
 * - One origin: held streams to a model served by a single channel, to see how many the gateway
 *   opens upstream at once.
 * - Slow reader: one client pauses reading for a few seconds on a fast, long stream; RSS growth
 *   shows whether the gateway holds the upstream back (backpressure) or buffers the output.
 */
import { chatBody, PATH } from '../lib/context.mjs';
import { pool } from '../lib/load.mjs';
import { median, round, sleep } from '../lib/stats.mjs';

const MB = 1024 * 1024;

async function sampleRss(gateway, samples, everyMs) {
  const values = [];
  for (let i = 0; i < samples; i++) {
    values.push(gateway.rssBytes());
    if (i < samples - 1) await sleep(everyMs);
  }
  return { median: median(values), max: Math.max(...values) };
}

/**
 * Opens `k` streams, at most `window` of them waiting for their first bytes at any time (a faster
 * ramp only overflows the gateway's listen backlog while its event loop is busy admitting, and
 * the kernel then resets connections). `establishedAll` resolves once each stream has its first
 * bytes (or on timeout).
 */
function openStreams(dispatcher, { k, headers, body, timeoutMs, window = 200 }) {
  const state = { established: 0, ended: 0, ok: 0, errors: 0, settled: 0, bytes: 0, statuses: {} };
  const done = [];
  let batchTimer;
  const establishedAll = new Promise((resolve) => {
    let launched = 0;
    const check = () => state.established + state.errors >= k && resolve(true);
    const launch = () => {
      const n = Math.min(k - launched, window - (launched - state.established - state.errors));
      for (let i = 0; i < n; i++) {
        launched++;
        done.push(
          new Promise((resolveSettled) => {
            const settle = () => {
              state.settled++;
              resolveSettled();
            };
            dispatcher
              .request({ method: 'POST', path: PATH, headers, body })
              .then((response) => {
                state.statuses[response.statusCode] = (state.statuses[response.statusCode] ?? 0) + 1;
                if (response.statusCode !== 200) {
                  state.errors++;
                  check();
                }
                let first = true;
                response.body.on('data', (c) => {
                  state.bytes += c.length;
                  if (first && response.statusCode === 200) {
                    first = false;
                    state.established++;
                    check();
                  }
                });
                response.body.on('end', () => {
                  state.ended++;
                  if (response.statusCode === 200) state.ok++;
                  settle();
                });
                response.body.on('error', (error) => {
                  state.errors++;
                  const code = String(error?.code ?? error?.name ?? 'error');
                  state.statuses[code] = (state.statuses[code] ?? 0) + 1;
                  settle();
                });
              })
              .catch((error) => {
                state.errors++;
                const code = String(error?.code ?? error?.name ?? 'error');
                state.statuses[code] = (state.statuses[code] ?? 0) + 1;
                check();
                settle();
              });
          }),
        );
      }
      if (launched < k) batchTimer = setTimeout(launch, 10);
    };
    launch();
    setTimeout(() => resolve(false), timeoutMs).unref();
  });
  return { state, establishedAll, allDone: () => Promise.all(done), stop: () => clearTimeout(batchTimer) };
}

/** Releases held streams until every client stream has ended (streams that were queued get held on arrival). */
async function releaseUntilDone(fake, state, k, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (state.settled < k && Date.now() < deadline) {
    fake.release();
    await sleep(100);
  }
  fake.release();
  return state.settled >= k;
}

function recordErrors(ctx, phase, state) {
  if (state.errors) ctx.errors.push({ phase, errors: state.errors, detail: state.statuses });
}

/** Live memory after a forced full GC (V8 heap used + external, MB), when the gateway runs with the inspector. */
async function liveMB(ctx) {
  return ctx.inspector ? round((await ctx.inspector.liveAfterGc()).live / MB, 1) : null;
}

/** `cycles` of K held streams on one (fresh) gateway. */
export async function heldStreamsPart(ctx, { k, cycles, settleMs = 1000 }) {
  const body = chatBody({ stream: true, bench: { hold: true, chunk_chars: 8 } });
  const out = [];
  for (let c = 0; c < cycles; c++) {
    await sleep(settleMs);
    const liveBefore = await liveMB(ctx);
    const before = await sampleRss(ctx.gateway, 3, 200);
    // Fresh connections each cycle: reusing sockets the gateway is about to close (keep-alive 5 s) would reset.
    const dispatcher = pool(ctx.G.origin, k + 10);
    const t0 = Date.now();
    const run = openStreams(dispatcher, { k, headers: ctx.headers(ctx.tokens.limited), body, timeoutMs: 90_000 });
    const all = await run.establishedAll;
    const rampMs = Date.now() - t0;
    const during = await sampleRss(ctx.gateway, 5, 300);
    const liveDuring = await liveMB(ctx);
    const established = run.state.established;
    const heldAtFake = ctx.fake.held;
    const finished = await releaseUntilDone(ctx.fake, run.state, k, 90_000);
    await run.allDone();
    await dispatcher.close();
    ctx.countSuccess(ctx.tokens.limited, run.state.ok, 0);
    recordErrors(ctx, `memory ${k} streams, cycle ${c + 1}`, run.state);
    await sleep(settleMs * 1.5);
    const liveAfter = await liveMB(ctx);
    const after = await sampleRss(ctx.gateway, 3, 200);
    out.push({
      cycle: c + 1,
      k,
      allEstablished: all && established === k,
      established,
      heldAtFake,
      finished,
      errors: run.state.errors,
      statuses: run.state.statuses,
      rampMs,
      rssBeforeMB: round(before.median / MB, 1),
      rssPeakMB: round(during.max / MB, 1),
      rssAfterMB: round(after.median / MB, 1),
      perThousandMB: round((((during.max - before.median) / k) * 1000) / MB, 2),
      liveBeforeMB: liveBefore,
      liveDuringMB: liveDuring,
      liveAfterMB: liveAfter,
      livePerThousandMB: liveBefore === null ? null : round(((liveDuring - liveBefore) / k) * 1000, 2),
    });
  }
  return out;
}

/** K streams that each received `outputBytes` and are still open: RSS once the client read it all. */
async function grownStreams(ctx, k, outputBytes, chunkChars, settleMs) {
  const chunks = Math.max(1, Math.round(outputBytes / chunkChars));
  const body = chatBody({ stream: true, bench: { hold: true, chunks, chunk_chars: chunkChars } });
  await sleep(settleMs);
  const liveBefore = await liveMB(ctx);
  const before = await sampleRss(ctx.gateway, 3, 200);
  const dispatcher = pool(ctx.G.origin, k + 10);
  const t0 = Date.now();
  const run = openStreams(dispatcher, { k, headers: ctx.headers(ctx.tokens.limited), body, timeoutMs: 120_000 });
  await run.establishedAll;
  // Wait until the fake has sent every stream's output and the client has read it all.
  const deadline = Date.now() + 180_000;
  while (ctx.fake.held < k && run.state.errors === 0 && Date.now() < deadline) await sleep(100);
  let last = -1;
  while (run.state.bytes !== last && Date.now() < deadline) {
    last = run.state.bytes;
    await sleep(Math.min(500, settleMs));
  }
  const seconds = (Date.now() - t0) / 1000;
  const during = await sampleRss(ctx.gateway, 5, 300);
  const liveHeld = await liveMB(ctx);
  const received = run.state.bytes;
  await releaseUntilDone(ctx.fake, run.state, k, 60_000);
  await run.allDone();
  await dispatcher.close();
  ctx.countSuccess(ctx.tokens.limited, run.state.ok, 0);
  recordErrors(ctx, `memory growth ${outputBytes} B`, run.state);
  return {
    k,
    outputBytes,
    chunks,
    seconds: round(seconds, 1),
    bytesReceived: received,
    errors: run.state.errors,
    rssBeforeMB: round(before.median / MB, 1),
    rssHeldMB: round(during.median / MB, 1),
    deltaMB: round((during.median - before.median) / MB, 1),
    liveBeforeMB: liveBefore,
    liveHeldMB: liveHeld,
    liveDeltaMB: liveBefore === null ? null : round(liveHeld - liveBefore, 1),
  };
}

/** One client that pauses reading: how far ahead of it does the gateway read the upstream? */
async function slowReader(ctx, outputBytes, pauseMs) {
  const chunkChars = 16 * 1024;
  const body = chatBody({ stream: true, bench: { chunks: Math.round(outputBytes / chunkChars), interval_ms: 0, chunk_chars: chunkChars } });
  await sleep(1000);
  const liveBefore = await liveMB(ctx);
  const before = await sampleRss(ctx.gateway, 3, 200);
  const dispatcher = pool(ctx.G.origin, 1);
  const response = await dispatcher.request({ method: 'POST', path: PATH, headers: ctx.headers(ctx.tokens.limited), body });
  response.body.pause();
  let peak = before.max;
  const deadline = Date.now() + pauseMs;
  while (Date.now() < deadline) {
    peak = Math.max(peak, ctx.gateway.rssBytes());
    await sleep(100);
  }
  // Still open at the fake after the pause = the gateway stopped reading it (backpressure).
  const upstreamStillOpen = ctx.fake.active;
  const livePaused = await liveMB(ctx);
  let received = 0;
  response.body.on('data', (c) => (received += c.length));
  response.body.resume();
  await new Promise((resolve) => response.body.on('end', resolve).on('error', resolve));
  await dispatcher.close();
  ctx.countSuccess(ctx.tokens.limited, response.statusCode === 200 ? 1 : 0, 0);
  return {
    outputBytes,
    pauseMs,
    rssBeforeMB: round(before.median / MB, 1),
    rssPeakMB: round(peak / MB, 1),
    deltaMB: round((peak - before.median) / MB, 1),
    liveBeforeMB: liveBefore,
    livePausedMB: livePaused,
    liveDeltaMB: liveBefore === null ? null : round(livePaused - liveBefore, 1),
    receivedBytes: received,
    upstreamStillOpenAfterPause: upstreamStillOpen,
  };
}

/** Growth with output length, one-origin concurrency and the slow reader, on one (fresh) gateway. */
export async function growthPart(ctx, { growthStreams, growthSizes, oneOriginStreams, slowReaderBytes, settleMs = 1000 }) {
  const growth = [];
  for (const size of growthSizes) growth.push(await grownStreams(ctx, growthStreams, size, 1024, settleMs));

  let oneOrigin = null;
  if (oneOriginStreams) {
    const body = chatBody({ model: ctx.oneOriginModel, stream: true, bench: { hold: true, chunk_chars: 8 } });
    const dispatcher = pool(ctx.G.origin, oneOriginStreams + 10);
    const run = openStreams(dispatcher, { k: oneOriginStreams, headers: ctx.headers(ctx.tokens.limited), body, timeoutMs: 10_000 });
    await run.establishedAll;
    await sleep(1000);
    oneOrigin = { requested: oneOriginStreams, streaming: run.state.established, heldAtFake: ctx.fake.held, errors: run.state.errors, statuses: run.state.statuses };
    await releaseUntilDone(ctx.fake, run.state, oneOriginStreams, 90_000);
    await run.allDone();
    await dispatcher.close();
    ctx.countSuccess(ctx.tokens.limited, run.state.ok, 0);
    recordErrors(ctx, 'memory one origin', run.state);
  }
  const slow = slowReaderBytes ? await slowReader(ctx, slowReaderBytes, 5000) : null;
  return { growth, oneOrigin, slowReader: slow };
}

export function addMemoryFigures(ctx, { held, growthStreams, growth, oneOrigin, slowReader: slow }) {
  for (const [k, rows] of Object.entries(held)) {
    const level = Number(k);
    const first = rows[0];
    const allUp = rows.every((r) => r.allEstablished);
    ctx.figures.add({
      id: `memory.per_1000_streams_mb.${level}`,
      figure: `memory per 1,000 concurrent streams (${level.toLocaleString('en')} open)`,
      measured: `${first.perThousandMB} MB`,
      value: first.perThousandMB,
      target: '≤ 40 MB',
      pass: first.perThousandMB <= 40 && allUp,
      note: `RSS ${first.rssBeforeMB} → ${first.rssPeakMB} MB with ${level} streams open (ramp ${first.rampMs} ms)${
        first.livePerThousandMB !== null ? `; live memory after GC ${first.liveBeforeMB} → ${first.liveDuringMB} MB = ${first.livePerThousandMB} MB per 1,000` : ''
      }${
        rows.length > 1 ? `; later cycles, heap already grown: ${rows.slice(1).map((r) => r.perThousandMB).join(', ')} MB per 1,000` : ''
      }${allUp ? '' : '; NOT all streams established'}`,
    });
    if (rows.length >= 2) {
      const last = rows[rows.length - 1];
      const drift = (last.rssAfterMB - first.rssAfterMB) / first.rssAfterMB;
      const peakDrift = (last.rssPeakMB - first.rssPeakMB) / first.rssPeakMB;
      ctx.figures.add({
        id: `memory.drift.${level}`,
        figure: `memory drift over ${rows.length} cycles (${level.toLocaleString('en')} streams)`,
        measured: `${round(drift * 100, 1)} % after, ${round(peakDrift * 100, 1)} % peak`,
        value: Math.max(Math.abs(drift), Math.abs(peakDrift)) * 100,
        target: '< 5 %',
        pass: Math.abs(drift) < 0.05 && Math.abs(peakDrift) < 0.05,
        note: `RSS after each cycle ${rows.map((r) => r.rssAfterMB).join(' → ')} MB; peaks ${rows.map((r) => r.rssPeakMB).join(' → ')} MB${
          first.liveAfterMB !== null ? `; live memory after GC, after each cycle ${rows.map((r) => r.liveAfterMB).join(' → ')} MB` : ''
        }`,
      });
    }
  }
  if (growth && growth.length >= 2) {
    const first = growth[0];
    const last = growth[growth.length - 1];
    const grow = last.deltaMB - first.deltaMB;
    const inFlightMB = (growthStreams * last.outputBytes) / MB;
    // Flat: less than 10% of the output the open streams carried (8 MB at least: RSS noise).
    const limit = Math.max(8, inFlightMB * 0.1);
    const label = `${fmtBytes(first.outputBytes)} → ${fmtBytes(last.outputBytes)} per stream, ${growthStreams} open streams`;
    ctx.figures.add({
      id: 'memory.growth_with_output_rss_mb',
      figure: `memory growth with output (RSS), ${label}`,
      measured: `${round(grow, 1)} MB (Δ RSS ${growth.map((g) => `${fmtBytes(g.outputBytes)}: ${g.deltaMB}`).join(', ')} MB)`,
      value: grow,
      target: `flat (< ${round(limit, 1)} MB; ${round(inFlightMB, 1)} MB carried)`,
      pass: grow < limit,
      note: `${growthStreams} × ${fmtBytes(last.outputBytes)} delivered in ${last.seconds} s`,
    });
    if (last.liveDeltaMB !== null) {
      const retained = last.liveDeltaMB - first.liveDeltaMB;
      ctx.figures.add({
        id: 'memory.growth_with_output_retained_mb',
        figure: `memory retained with output (live after GC), ${label}`,
        measured: `${round(retained, 1)} MB (Δ live ${growth.map((g) => `${fmtBytes(g.outputBytes)}: ${g.liveDeltaMB}`).join(', ')} MB)`,
        value: retained,
        target: `flat (< ${round(limit, 1)} MB)`,
        pass: retained < limit,
        note: 'what the open streams keep alive; RSS above it is garbage V8 has not returned yet',
      });
    }
  }
  if (oneOrigin) {
    ctx.figures.add({
      id: 'memory.one_origin_concurrency',
      figure: `streams open upstream at once through one channel (${oneOrigin.requested} asked)`,
      measured: `${oneOrigin.streaming}`,
      value: oneOrigin.streaming,
      target: `${oneOrigin.requested} (all)`,
      pass: oneOrigin.streaming === oneOrigin.requested,
      note: oneOrigin.streaming < oneOrigin.requested ? 'the rest wait inside the gateway for a free upstream connection (per-origin pool cap)' : '',
    });
  }
  if (slow) {
    // The upstream may finish while the client pauses without the gateway holding anything: the
    // kernel's socket buffers (client and gateway side, several MB on loopback) take the bytes.
    // Only live memory tells whether the gateway itself buffered the output.
    const upstreamDone = slow.upstreamStillOpenAfterPause === 0;
    const buffered = upstreamDone && (slow.liveDeltaMB ?? slow.deltaMB) > 2;
    ctx.figures.add({
      id: 'memory.slow_reader_mb',
      figure: `slow reader: memory held while a client pauses ${slow.pauseMs / 1000} s on a ${fmtBytes(slow.outputBytes)} stream`,
      measured: `${slow.liveDeltaMB ?? slow.deltaMB} MB${slow.liveDeltaMB !== null ? ' live' : ' RSS'}`,
      value: slow.liveDeltaMB ?? slow.deltaMB,
      target: '— (bounded)',
      pass: null,
      note: `${
        buffered
          ? 'the upstream finished while the client read nothing: the gateway read it all and buffered the output (no backpressure)'
          : upstreamDone
            ? 'the upstream finished during the pause, held by the sockets\' kernel buffers: the gateway\'s live memory stayed flat (backpressure)'
            : 'the upstream was held back while the client paused (backpressure)'
      }; RSS Δ ${slow.deltaMB} MB`,
    });
  }
}

function fmtBytes(n) {
  return n >= MB ? `${round(n / MB, 1)} MB` : `${round(n / 1024, 0)} KB`;
}
