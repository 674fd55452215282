#!/usr/bin/env node
/**
 * Where the gateway allocates under the throughput load (non-stream, limited key): V8's sampling
 * heap profiler through the inspector, keeping the samples of objects the GC has already
 * collected, so it shows the garbage (what the GC share of the CPU profile pays for), not only
 * what stays alive. Diagnostic, not part of `npm run bench`.
 *
 *   node bench/alloc-profile.mjs [--seconds=5] [--top=30] [--stream]
 */
import { chatBody, PATH } from './lib/context.mjs';
import { startFakeUpstream } from './lib/fake-upstream.mjs';
import { hasTaskset, pinSelf, setUpGateway, startGateway } from './lib/gateway.mjs';
import { connectInspector, inspectorUrl } from './lib/inspector.mjs';
import { cannon, pool, sequential } from './lib/load.mjs';

const args = process.argv.slice(2);
const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 5);
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 30);
const stream = args.includes('--stream');

if (hasTaskset) pinSelf(1);
const fake = await startFakeUpstream();
const gateway = await startGateway({ cpu: hasTaskset ? 0 : null, nodeArgs: ['--inspect=127.0.0.1:0'] });
const { admin } = await setUpGateway(gateway, fake.urls);
const token = await admin.createToken({ name: 'alloc', unlimited: false, remainQuota: 100_000_000_000 });
const headers = { authorization: `Bearer ${token.key}`, 'content-type': 'application/json' };
const body = chatBody(stream ? { stream: true, bench: { chunks: 20, interval_ms: 0 } } : {});
const warm = pool(gateway.baseUrl, 1);
await sequential(warm, { n: 2000, path: PATH, headers, body });
await warm.close();

const inspector = await connectInspector(inspectorUrl(gateway.output()));
await inspector.call('HeapProfiler.enable');
await inspector.call('HeapProfiler.startSampling', {
  samplingInterval: 4096,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
const result = await cannon({ url: `${gateway.baseUrl}${PATH}`, connections: 64, seconds, headers, body });
const reply = await inspector.call('HeapProfiler.stopSampling');
inspector.close();
const requests = result['2xx'] + result.non2xx;
await gateway.stop();
gateway.removeFiles();
await fake.close();

// Self bytes per function (file:line), and per package.
const byFrame = new Map();
const byPackage = new Map();
let total = 0;
const where = (frame) => {
  const url = frame.url.replace(/^file:\/\//, '');
  const pkg = url.includes('node_modules/') ? url.split('node_modules/').pop().split('/').slice(0, url.includes('/@') ? 2 : 1).join('/') : url.includes('/dist/') ? url.replace(/.*\/(apps|libs)\//, '$1/').split('/dist/')[0] : url.startsWith('node:') ? url : url ? 'other' : '(native)';
  return { label: `${frame.functionName || '(anonymous)'} ${url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, '')}:${frame.lineNumber + 1}`, pkg };
};
(function walk(node) {
  const self = node.selfSize;
  if (self > 0) {
    const { label, pkg } = where(node.callFrame);
    byFrame.set(label, (byFrame.get(label) ?? 0) + self);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + self);
    total += self;
  }
  for (const child of node.children ?? []) walk(child);
})(reply.profile.head);
const perRequest = (bytes) => `${(bytes / requests / 1024).toFixed(1).padStart(6)} KB/request`;
process.stdout.write(`${requests} requests in ${seconds} s (${stream ? 'stream' : 'non-stream'}); sampled allocations ${(total / 1e6).toFixed(1)} MB = ${perRequest(total)}\n\nBy package\n`);
for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stdout.write(`${perRequest(v)}  ${k}\n`);
process.stdout.write('\nBy allocating function\n');
for (const [k, v] of [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${perRequest(v)}  ${k}\n`);
