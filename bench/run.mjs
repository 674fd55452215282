#!/usr/bin/env node
/**
 * The gateway benchmark (issue 6): `npm run bench` (all phases, < 15 min on 2 cores) or
 * `npm run bench:smoke` (short; exits non-zero if the gateway errors, merges chunks, loses ledger
 * rows or overdraws a key). Prints a table and writes bench/results/latest.json (smoke.json).
 *
 * Options: --smoke, --only=<phase,...> (sequential, streaming, throughput, cluster, open-loop, memory,
 * race, billing, billing-batch), --out=<file>, --update=<results.json>: after a partial run, put
 * its rows into that file in place of the same figures (to rerun a noisy phase when the machine
 * is quieter); the file records the rerun.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { chatBody, Figures, PATH } from './lib/context.mjs';
import { startFakeUpstream } from './lib/fake-upstream.mjs';
import { hasTaskset, startBareProxy, ONE_ORIGIN_MODEL, pinSelf, REPO_ROOT, setUpGateway, startGateway } from './lib/gateway.mjs';
import { connectInspector, inspectorUrl } from './lib/inspector.mjs';
import { pool, sequential } from './lib/load.mjs';
import { formatTable } from './lib/report.mjs';
import { round } from './lib/stats.mjs';
import { billingPhase } from './phases/billing.mjs';
import { addLedgerFigures, ledgerCheck, quotaRacePhase } from './phases/ledger.mjs';
import { addMemoryFigures, growthPart, heldStreamsPart } from './phases/memory.mjs';
import { openLoopPhase } from './phases/open-loop.mjs';
import { sequentialPhase } from './phases/sequential.mjs';
import { addStreamingFigures, measureStreaming } from './phases/streaming.mjs';
import { throughputPhase } from './phases/throughput.mjs';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const only = (args.find((a) => a.startsWith('--only='))?.slice(7).split(',') ?? null);
const outArg = args.find((a) => a.startsWith('--out='))?.slice(6);
const updateArg = args.find((a) => a.startsWith('--update='))?.slice(9);
const wants = (phase) => !only || only.includes(phase);

const PLAN = smoke
  ? {
      sequential: { rounds: 3, perArm: 100 },
      streaming: { rounds: 3, streams: 4, chunks: 20, intervalMs: 20 },
      throughput: { rounds: 1, seconds: 2, warmupSeconds: 1 },
      openLoop: { rates: [50], rounds: 1, seconds: 2, latencyMs: 10 },
      memory: { fresh: false, levels: [200], cycles: 1, growthStreams: 8, growthSizes: [1024, 64 * 1024], oneOriginStreams: 0, slowReaderBytes: 0, settleMs: 250 },
      billing: null,
      billingBatch: null,
    }
  : {
      sequential: { rounds: 10, perArm: 400 },
      streaming: { rounds: 8, streams: 16, chunks: 30, intervalMs: 10 },
      throughput: { rounds: 3, seconds: 8, warmupSeconds: 3 },
      openLoop: { rates: [100, 250, 500], rounds: 2, seconds: 5, latencyMs: 10 },
      memory: { fresh: true, levels: [1000, 2000], cycles: 3, growthStreams: 32, growthSizes: [1024, 32 * 1024, 1024 * 1024], oneOriginStreams: 1000, slowReaderBytes: 8 * 1024 * 1024 },
      billing: { rounds: 16, perArm: 80 },
      billingBatch: { rounds: 10, perArm: 80 },
    };

const WALLET_FUNDING = 1_000_000_000_000;
const LIMITED_FUNDING = 100_000_000_000;

function log(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The shared context of one gateway instance. */
async function makeContext({ gateway, fake, figures, errors, cores, bare = null }) {
  const { admin, channels } = await setUpGateway(gateway, fake.urls);
  const oneOriginChannel = await admin.createChannel({ name: 'bench one origin', baseUrl: fake.urls[0], models: ONE_ORIGIN_MODEL });
  const limited = await admin.createToken({ name: 'bench limited', unlimited: false, remainQuota: LIMITED_FUNDING });
  const unlimited = await admin.createToken({ name: 'bench unlimited', unlimited: true });
  const successByToken = new Map();
  const ctx = {
    gateway,
    fake,
    admin,
    channels: [...channels, oneOriginChannel],
    figures,
    errors,
    cores,
    oneOriginModel: ONE_ORIGIN_MODEL,
    walletFunding: WALLET_FUNDING,
    tokens: { limited, unlimited },
    successByToken,
    raceTokens: [],
    mergedChunks: 0,
    D: { origin: fake.url, client: pool(fake.url, 1), wide: pool(fake.url, 512) },
    G: { origin: gateway.baseUrl, client: pool(gateway.baseUrl, 1), wide: pool(gateway.baseUrl, 512) },
    B: bare ? { origin: bare.origin, client: pool(bare.origin, 1), process: bare } : null,
    headers: (token) => ({ authorization: `Bearer ${token.key}`, 'content-type': 'application/json' }),
    /** Successful answers per key; `slack` = requests that may have been billed after the client stopped counting. */
    countSuccess(token, ok, slack = 0) {
      const entry = successByToken.get(token.id) ?? { ok: 0, slack: 0, funding: token === limited ? LIMITED_FUNDING : null };
      entry.ok += ok;
      entry.slack += slack;
      successByToken.set(token.id, entry);
    },
  };
  successByToken.set(limited.id, { ok: 0, slack: 0, funding: LIMITED_FUNDING });
  return ctx;
}

async function closeContext(ctx) {
  await Promise.allSettled([ctx.D.client.close(), ctx.D.wide.close(), ctx.G.client.close(), ctx.G.wide.close(), ctx.B?.client.close()]);
}

/** JIT, caches, encoders and connection pools warm before anything is measured. */
async function warmUp(ctx, kind) {
  const headers = ctx.headers(ctx.tokens.limited);
  const light = smoke || kind === 'light';
  const r1 = await sequential(ctx.G.client, { n: light ? 300 : 1500, path: PATH, headers, body: chatBody() });
  ctx.countSuccess(ctx.tokens.limited, r1.ok);
  await sequential(ctx.D.client, { n: light ? 200 : 500, path: PATH, headers, body: chatBody() });
  if (ctx.B) await sequential(ctx.B.client, { n: light ? 200 : 500, path: PATH, headers, body: chatBody() });
  const r2 = await sequential(ctx.G.client, { n: light ? 20 : 100, path: PATH, headers, body: chatBody({ stream: true, bench: { chunks: 5, interval_ms: 1 } }) });
  ctx.countSuccess(ctx.tokens.limited, r2.ok);
  if (r1.errors || r2.errors) ctx.errors.push({ phase: 'warm-up', errors: r1.errors + r2.errors });
}

function machine() {
  const c = cpus();
  let commit = '';
  let dirty = '';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    dirty = execSync('git status --porcelain -- apps libs', { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n').filter(Boolean).length.toString();
  } catch {
    // not a git checkout
  }
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    kernel: release(),
    taskset: hasTaskset,
    commit,
    uncommittedFilesInAppsLibs: Number(dirty || 0),
  };
}

async function main() {
  const started = Date.now();
  // Taken now: the commit the benchmarked build came from (the checkout may move during the run).
  const machineInfo = machine();
  const pinned = hasTaskset && cpus().length >= 2 && pinSelf(1);
  const cores = pinned ? { loadCpu: 1, gatewayCpu: 0 } : { loadCpu: null, gatewayCpu: null };
  log(`${smoke ? 'smoke' : 'full'} run; ${pinned ? 'gateway pinned to cpu 0, fake + load to cpu 1' : 'no pinning (taskset missing or 1 cpu)'}`);
  const figures = new Figures();
  const errors = [];
  const phases = {};
  const fake = await startFakeUpstream({ listeners: 5, holdTickMs: 1000 });
  // Reference arm B for the sequential and throughput phases: a bare Node.js proxy in front of the same fake.
  const bare = wants('sequential') || wants('throughput') ? await startBareProxy(fake.url, { cpu: pinned ? 0 : null }) : null;
  const ledgers = [];

  /**
   * Runs `work` on a freshly started gateway (own SQLite file), then stops it (SIGTERM flushes
   * the ledger) and, unless `ledger` is false, checks its ledger from the database file.
   */
  async function withGateway(name, { env = {}, ledger = true, warm = 'full', inspect = false, pin = true, withBare = false } = {}, work) {
    const extraArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const gateway = await startGateway({ cpu: pinned && pin ? 0 : null, env, nodeArgs: [...(inspect ? ['--inspect=127.0.0.1:0'] : []), ...extraArgs] });
    log(`${name}: gateway pid ${gateway.pid} on ${gateway.baseUrl}`);
    const ctx = await makeContext({ gateway, fake, figures, errors, cores, bare: withBare ? bare : null });
    let result;
    try {
      if (inspect) ctx.inspector = await connectInspector(inspectorUrl(gateway.output()));
      await warmUp(ctx, warm);
      result = await work(ctx);
    } finally {
      ctx.inspector?.close();
      await closeContext(ctx);
      const exit = await gateway.stop();
      log(`${name}: gateway stopped (${exit.signal ?? exit.code})`);
    }
    if (ledger) {
      const check = ledgerCheck(ctx, gateway.sqlitePath, gateway.output());
      // Lines the gateway printed after start-up (it has no log-level setting; a quiet hot path prints none).
      const outputLines = gateway.output().split('\n').filter((l) => l.trim() && !/Debugger|For help|inspector/i.test(l)).length;
      ledgers.push({ gateway: name, outputLines, ...check });
    }
    gateway.removeFiles();
    return { ctx, result };
  }

  // Main gateway: latency, streaming, throughput, open loop, quota race; ledger after all of it.
  const mainPhases = ['sequential', 'streaming', 'throughput', 'open-loop', 'race', ...(PLAN.memory.fresh ? [] : ['memory'])].filter(wants);
  if (mainPhases.length > 0) {
    await withGateway('main', { withBare: true }, async (ctx) => {
      if (wants('sequential')) {
        log('phase: sequential added latency');
        phases.sequential = await sequentialPhase(ctx, PLAN.sequential);
      }
      if (wants('streaming')) {
        log('phase: streaming TTFT, forwarding delay, merged chunks');
        // A merge seen while other processes crowded the pinned cores is measured again (up to
        // 3 attempts): a merge in a quiet attempt, or in every attempt, counts.
        const attempts = [];
        for (;;) {
          const result = await measureStreaming(ctx, PLAN.streaming);
          attempts.push({ merged: result.totals.G.merged, noisy: result.monitor.noisy, otherProcessesCores: result.monitor.maxOthers });
          phases.streaming = { ...result, attempts };
          if (result.totals.G.merged === 0 || !result.monitor.noisy || attempts.length >= 3) break;
          log(`  ${result.totals.G.merged} merged reads while the cores were crowded by other work: measuring again`);
        }
        addStreamingFigures(ctx, phases.streaming);
      }
      if (wants('throughput')) {
        log('phase: throughput at concurrency 64');
        phases.throughput = await throughputPhase(ctx, PLAN.throughput);
      }
      if (wants('open-loop')) {
        log(`phase: open loop at ${PLAN.openLoop.rates.join(', ')} req/s`);
        phases.openLoop = await openLoopPhase(ctx, PLAN.openLoop);
      }
      if (wants('memory') && !PLAN.memory.fresh) {
        log('phase: memory (on the main gateway: smoke)');
        const memory = { held: {}, growthStreams: PLAN.memory.growthStreams };
        for (const k of PLAN.memory.levels) memory.held[k] = await heldStreamsPart(ctx, { k, cycles: PLAN.memory.cycles, settleMs: PLAN.memory.settleMs });
        Object.assign(memory, await growthPart(ctx, PLAN.memory));
        phases.memory = memory;
        addMemoryFigures({ figures }, memory);
      }
      if (wants('race')) {
        log('phase: quota race');
        phases.quotaRace = await quotaRacePhase(ctx, { fired: 500 });
      }
    });
  }

  // Memory: every part on a fresh gateway, so RSS starts from a settled process.
  if (wants('memory') && PLAN.memory.fresh) {
    const memory = { held: {}, growthStreams: PLAN.memory.growthStreams };
    for (const k of PLAN.memory.levels) {
      log(`phase: memory, ${k} concurrent streams × ${PLAN.memory.cycles} cycles`);
      memory.held[k] = (await withGateway(`memory ${k}`, { warm: 'light', inspect: true }, (ctx) => heldStreamsPart(ctx, { k, cycles: PLAN.memory.cycles }))).result;
    }
    log('phase: memory, growth with output length, one origin, slow reader');
    Object.assign(memory, (await withGateway('memory growth', { warm: 'light', inspect: true }, (ctx) => growthPart(ctx, PLAN.memory))).result);
    phases.memory = memory;
    addMemoryFigures({ figures }, memory);
  }

  // Cluster mode on a gateway of its own: two workers, unpinned; its ledger is checked like the others.
  if (wants('cluster')) {
    log('phase: cluster mode (CLUSTER_WORKERS=2), throughput at concurrency 64');
    phases.cluster = (await withGateway('cluster', { env: { CLUSTER_WORKERS: '2' }, pin: false, warm: 'light' }, (ctx) => throughputPhase(ctx, { ...PLAN.throughput, cluster: true }))).result;
  }

  if (ledgers.length > 0) {
    phases.ledger = ledgers;
    addLedgerFigures({ figures }, ledgers);
  }

  // Billing on/off on gateways of their own (the phase toggles LogConsumeEnabled, so no ledger check).
  for (const [key, env, label] of [
    ['billing', {}, ''],
    ['billing-batch', { BATCH_UPDATE_ENABLED: 'true' }, '(BATCH_UPDATE_ENABLED)'],
  ]) {
    const plan = key === 'billing' ? PLAN.billing : PLAN.billingBatch;
    if (!plan || !wants(key)) continue;
    log(`phase: billing on vs off ${label}`);
    phases[key] = (await withGateway(key, { env, ledger: false, warm: 'light' }, (ctx) => billingPhase(ctx, { ...plan, label }))).result;
  }
  bare?.stop();
  await fake.close();

  const seconds = round((Date.now() - started) / 1000, 1);
  const gatewayErrors = errors.reduce((n, e) => n + e.errors, 0);
  const merged = figures.rows.find((r) => r.id === 'streaming.merged_chunks')?.value ?? 0;
  const ledgerRow = figures.rows.find((r) => r.id === 'billing.ledger_exact');
  const raceRows = figures.rows.filter((r) => r.id.startsWith('billing.quota_race'));
  figures.add({
    id: 'gateway.errors',
    figure: 'gateway errors (non-200 answers, connection failures) in all phases',
    measured: String(gatewayErrors),
    value: gatewayErrors,
    target: '0',
    pass: gatewayErrors === 0,
    note: errors.filter((e) => e.errors > 0).map((e) => `${e.phase}: ${e.errors}`).join('; '),
  });
  const correctness = {
    gatewayErrors: gatewayErrors === 0,
    noMergedChunks: merged === 0,
    ledgerExact: ledgerRow ? ledgerRow.pass : null,
    noOverdraft: raceRows.length ? raceRows.every((r) => r.value === 0) : null,
  };
  const ok = Object.values(correctness).every((v) => v !== false);
  process.stdout.write(formatTable(figures.rows));
  process.stdout.write(`\n${smoke ? 'Smoke' : 'Full'} run took ${seconds} s on ${machineInfo.cpu} (${cpus().length} cores).\n`);
  const result = { mode: smoke ? 'smoke' : 'full', date: new Date().toISOString(), seconds, machine: machineInfo, pinned, plan: PLAN, correctness, ok, figures: figures.rows, errors, phases };
  const outFile = outArg ?? join(REPO_ROOT, 'bench/results', smoke ? 'smoke.json' : only ? `partial-${only.join('-')}.json` : 'latest.json');
  mkdirSync(join(REPO_ROOT, 'bench/results'), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(result, (k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Float64Array ? undefined : v), 2)}\n`);
  log(`wrote ${outFile}`);
  if (updateArg && only) {
    // Replace the same figures in a full run's file; aggregate rows (ledger, errors) stay as the
    // full run measured them, and the rerun's own correctness is recorded beside them.
    const target = JSON.parse(readFileSync(updateArg, 'utf8'));
    const aggregate = new Set(['gateway.errors', 'billing.ledger_exact', 'billing.sqlite_busy']);
    const fresh = new Map(figures.rows.filter((r) => !aggregate.has(r.id)).map((r) => [r.id, { ...r, rerun: result.date }]));
    target.figures = target.figures.map((r) => fresh.get(r.id) ?? r);
    for (const key of Object.keys(phases)) if (key !== 'ledger') target.phases[key] = phases[key];
    (target.reruns ??= []).push({ phases: only, date: result.date, seconds, correctness, ok });
    writeFileSync(updateArg, `${JSON.stringify(target, null, 2)}\n`);
    log(`updated ${updateArg} with ${fresh.size} figures of the rerun`);
  }
  if (!ok) {
    process.stdout.write(`\nCORRECTNESS FAILURE: ${JSON.stringify(correctness)}\n`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(2);
});
