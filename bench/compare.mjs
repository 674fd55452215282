#!/usr/bin/env node
/**
 * Compares two builds of the API in one run: the current one (apps/api/dist) and a base build (a
 * copy of an earlier apps/api/dist, kept inside apps/api/ so it resolves the same packages). Both
 * gateways are pinned to the same core and measured in alternation, so whatever else the machine
 * does falls on both alike; the figures are the medians over rounds of each build's own p50 and
 * the median over rounds of new − base (each round measures both back to back).
 *
 *   git stash && npm run build:api && cp -a apps/api/dist apps/api/dist-base && git stash pop && npm run build:api
 *   node bench/compare.mjs [--base=apps/api/dist-base] [--rounds=10] [--per-round=200] [--cannon-seconds=4] [--cannon-every=3]
 *   node bench/compare.mjs --base=apps/api/dist --new-node-args="--max-semi-space-size=2"   # one build, two sets of node flags
 *
 * Figures: sequential non-stream latency p50; sequential stream TTFT p50 (the fake sends its events
 * at once, so TTFT is admission plus one hop); CPU µs per request under 64 connections.
 */
import { join } from 'node:path';
import { chatBody, PATH } from './lib/context.mjs';
import { startFakeUpstream } from './lib/fake-upstream.mjs';
import { hasTaskset, pinSelf, REPO_ROOT, setUpGateway, startGateway } from './lib/gateway.mjs';
import { cannon, pool, post, RawSseClient } from './lib/load.mjs';
import { percentile, shuffle, sorted } from './lib/stats.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => { const found = args.find((a) => a.startsWith(`--${name}=`)); return found === undefined ? fallback : found.slice(name.length + 3); };
const baseDir = opt('base', 'apps/api/dist-base');
const rounds = Number(opt('rounds', 10));
const perRound = Number(opt('per-round', 200));
const cannonSeconds = Number(opt('cannon-seconds', 4));
const cannonEvery = Number(opt('cannon-every', 3));
const nodeArgs = (name) => (opt(`${name}-node-args`, '') ?? '').split(' ').filter(Boolean);

const pinned = hasTaskset && pinSelf(1);
const fake = await startFakeUpstream();
const builds = {
  base: await startGateway({ cpu: pinned ? 0 : null, entry: join(REPO_ROOT, baseDir, 'main.js'), nodeArgs: nodeArgs('base') }),
  new: await startGateway({ cpu: pinned ? 0 : null, nodeArgs: nodeArgs('new') }),
};
try {
  const setup = {};
  for (const [name, gateway] of Object.entries(builds)) {
    const { admin } = await setUpGateway(gateway, fake.urls);
    const token = await admin.createToken({ name: 'compare', unlimited: false, remainQuota: 100_000_000_000 });
    setup[name] = {
      headers: { authorization: `Bearer ${token.key}`, 'content-type': 'application/json' },
      pool: pool(gateway.baseUrl),
      sse: new RawSseClient(gateway.baseUrl),
    };
  }
  const plain = chatBody({});
  const streamed = chatBody({ stream: true, bench: { chunks: 3, interval_ms: 0, chunk_chars: 8, latency_ms: 0 } });
  const figures = { latency: { base: [], new: [] }, ttft: { base: [], new: [] }, cpu: { base: [], new: [] } };
  // Warm-up: JIT, caches, connection pools.
  for (const name of Object.keys(builds)) {
    for (let i = 0; i < 300; i++) await post(setup[name].pool, PATH, setup[name].headers, plain);
    for (let i = 0; i < 100; i++) await setup[name].sse.stream({ path: PATH, headers: setup[name].headers, body: streamed });
  }
  for (let r = 0; r < rounds; r++) {
    for (const name of shuffle(['base', 'new'])) {
      const { pool: p, sse, headers } = setup[name];
      const ms = [];
      for (let i = 0; i < perRound; i++) ms.push((await post(p, PATH, headers, plain)).ms);
      figures.latency[name].push(percentile(sorted(ms), 50));
      const ttft = [];
      for (let i = 0; i < perRound / 2; i++) ttft.push((await sse.stream({ path: PATH, headers, body: streamed })).ttftMs);
      figures.ttft[name].push(percentile(sorted(ttft), 50));
    }
    if (cannonSeconds > 0 && r % cannonEvery === 0) {
      for (const name of shuffle(['base', 'new'])) {
        const gateway = builds[name];
        const cpu0 = gateway.cpuMicros();
        const result = await cannon({ url: `${gateway.baseUrl}${PATH}`, connections: 64, seconds: cannonSeconds, headers: setup[name].headers, body: plain });
        figures.cpu[name].push((gateway.cpuMicros() - cpu0) / (result['2xx'] + result.non2xx));
      }
    }
  }
  const med = (a) => percentile(sorted(a), 50);
  // new − base per round (both measured back to back), then the median of those differences.
  const line = (label, unit, f, digits) => {
    const paired = f.new.map((v, i) => v - f.base[i]);
    return `${label.padEnd(34)} base ${med(f.base).toFixed(digits)} ${unit}  new ${med(f.new).toFixed(digits)} ${unit}  new − base, median of rounds ${med(paired).toFixed(digits)} ${unit} [${paired.map((v) => v.toFixed(digits)).join(', ')}]`;
  };
  process.stdout.write(`${line('sequential latency p50', 'ms', figures.latency, 3)}\n`);
  process.stdout.write(`${line('stream TTFT p50', 'ms', figures.ttft, 3)}\n`);
  if (figures.cpu.base.length > 0) process.stdout.write(`${line('CPU per request (64 connections)', 'µs', figures.cpu, 0)}\n`);
} finally {
  for (const gateway of Object.values(builds)) {
    await gateway.stop();
    gateway.removeFiles();
  }
  await fake.close();
}
