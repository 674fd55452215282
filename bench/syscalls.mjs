#!/usr/bin/env node
/**
 * Counts the gateway's system calls per request under a fixed load: starts it pinned like the
 * benchmark, warms it up, attaches `strace -c -f` for the load window only and divides each
 * call's count by the requests answered. System calls are the part of a hop that depends most
 * on the machine (a virtual machine may pay several µs for each); fewer per request is faster
 * everywhere. Needs strace.
 *
 *   node bench/syscalls.mjs [--requests=2000] [--connections=8] [--stream] [--unlimited]
 */
import { spawn, spawnSync } from 'node:child_process';
import { chatBody, PATH } from './lib/context.mjs';
import { startFakeUpstream } from './lib/fake-upstream.mjs';
import { hasTaskset, pinSelf, setUpGateway, startGateway } from './lib/gateway.mjs';
import { pool, post, sequential } from './lib/load.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const requests = arg('requests', 2000);
const connections = arg('connections', 8);
const stream = args.includes('--stream');
const unlimited = args.includes('--unlimited');

if (spawnSync('strace', ['-V']).status !== 0) {
  process.stderr.write('strace is not installed\n');
  process.exit(2);
}
const pinned = hasTaskset && pinSelf(1);
const fake = await startFakeUpstream();
const gateway = await startGateway({ cpu: pinned ? 0 : null });
try {
  const { admin } = await setUpGateway(gateway, fake.urls);
  const token = await admin.createToken({ name: 'syscalls', unlimited, remainQuota: unlimited ? 0 : 100_000_000_000 });
  const headers = { authorization: `Bearer ${token.key}`, 'content-type': 'application/json' };
  const body = chatBody(stream ? { stream: true, bench: { chunks: 20, interval_ms: 0 } } : {});
  const warm = pool(gateway.baseUrl, 1);
  await sequential(warm, { n: 500, path: PATH, headers, body });
  await warm.close();

  const traceFile = args.find((a) => a.startsWith('--trace='))?.slice(8);
  const tracer = spawn('strace', [...(traceFile ? ['-tt', '-e', 'trace=writev,write,pwrite64,read,epoll_pwait', '-o', traceFile] : ['-c']), '-f', '-p', String(gateway.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let report = '';
  tracer.stderr.on('data', (c) => (report += c.toString()));
  await new Promise((r) => setTimeout(r, 1000)); // strace attaches to every thread
  const load = pool(gateway.baseUrl, connections);
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < requests) {
        next++;
        const answer = await post(load, PATH, headers, body);
        if (answer.status !== 200) failed++;
      }
    }),
  );
  await load.close();
  await new Promise((r) => setTimeout(r, 200)); // settlements behind the last responses
  tracer.kill('SIGINT');
  await new Promise((r) => tracer.once('exit', r));
  const rows = [];
  for (const line of report.split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$/.exec(line);
    if (m) rows.push({ call: m[2], count: Number(m[1]) });
  }
  rows.sort((a, b) => b.count - a.count);
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  process.stdout.write(`${requests} ${stream ? 'stream' : 'non-stream'} requests on ${connections} connections (${failed} failed): ${(total / requests).toFixed(2)} system calls per request\n`);
  for (const r of rows) process.stdout.write(`  ${r.call.padEnd(18)} ${(r.count / requests).toFixed(3)}\n`);
} finally {
  await gateway.stop();
  gateway.removeFiles();
  await fake.close();
}
