#!/usr/bin/env node
/**
 * Profiles the gateway under the throughput phase's load: starts it with `node --cpu-prof`
 * (pinned like the benchmark), warms it up, drives it with autocannon (64 connections,
 * zero-latency fake) for --seconds, stops it and summarises the profile of the load window only.
 *
 *   node bench/profile.mjs [--seconds=15] [--unlimited] [--stream]
 * Writes the .cpuprofile and its summary (JSON) to bench/results/profiles/.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatBody, PATH } from './lib/context.mjs';
import { startFakeUpstream } from './lib/fake-upstream.mjs';
import { hasTaskset, pinSelf, REPO_ROOT, setUpGateway, startGateway } from './lib/gateway.mjs';
import { cannon, pool, sequential } from './lib/load.mjs';
import { formatSummary, summarise } from './lib/profile.mjs';

const args = process.argv.slice(2);
const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 15);
const stream = args.includes('--stream');
const unlimited = args.includes('--unlimited');
// --heap: also a sampling heap profile (.heapprofile: where the garbage is allocated).
const heap = args.includes('--heap');
const dir = join(REPO_ROOT, 'bench/results/profiles');
mkdirSync(dir, { recursive: true });
const before = new Set(readdirSync(dir));

const pinned = hasTaskset && pinSelf(1);
const fake = await startFakeUpstream();
const spawnedAt = Date.now();
const gateway = await startGateway({ cpu: pinned ? 0 : null, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir, ...(heap ? ['--heap-prof', '--heap-prof-dir', dir, '--heap-prof-interval', '65536'] : [])] });
const { admin } = await setUpGateway(gateway, fake.urls);
const token = await admin.createToken({ name: 'profile', unlimited, remainQuota: unlimited ? 0 : 100_000_000_000 });
const headers = { authorization: `Bearer ${token.key}`, 'content-type': 'application/json' };
const body = chatBody(stream ? { stream: true, bench: { chunks: 20, interval_ms: 0 } } : {});
const warm = pool(gateway.baseUrl, 1);
await sequential(warm, { n: 2000, path: PATH, headers, body });
await warm.close();
const loadFrom = (Date.now() - spawnedAt) / 1000;
const cpu0 = gateway.cpuMicros();
const result = await cannon({ url: `${gateway.baseUrl}${PATH}`, connections: 64, seconds, headers, body });
const cpuUs = gateway.cpuMicros() - cpu0;
const answered = result['2xx'] + result.non2xx;
await gateway.stop();
gateway.removeFiles();
await fake.close();
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && !before.has(f));
const summary = summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')), 30, loadFrom);
const head = `${answered} requests in ${seconds} s (${Math.round(answered / seconds)} req/s, ${result.non2xx} non-2xx), gateway CPU ${Math.round(cpuUs / answered)} µs/request (${stream ? 'stream' : 'non-stream'}, ${unlimited ? 'unlimited' : 'limited'} key)`;
writeFileSync(join(dir, file.replace('.cpuprofile', '.summary.json')), `${JSON.stringify({ head, loadFromSeconds: loadFrom, ...summary }, null, 2)}\n`);
process.stdout.write(`${head}\n${formatSummary(summary, `profile ${join(dir, file)} (load window only, from ${loadFrom.toFixed(1)} s)`)}`);
