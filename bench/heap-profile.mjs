#!/usr/bin/env node
/**
 * Where the memory of open streams goes: heap snapshots of a fresh gateway (started with
 * --inspect) before and while K held streams are open, compared by constructor (self size,
 * after the forced GC a snapshot does). Diagnostic, not part of `npm run bench`.
 *
 *   node bench/heap-profile.mjs [--streams=1000] [--top=25] [--closures]   (closures by function name)
 */
import { chatBody, PATH } from './lib/context.mjs';
import { startFakeUpstream } from './lib/fake-upstream.mjs';
import { hasTaskset, pinSelf, setUpGateway, startGateway } from './lib/gateway.mjs';
import { inspectorUrl } from './lib/inspector.mjs';
import { pool, sequential } from './lib/load.mjs';
import { WebSocket } from 'undici';

const args = process.argv.slice(2);
const k = Number(args.find((a) => a.startsWith('--streams='))?.slice(10) ?? 1000);
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);
const byClosure = args.includes('--closures');

/** Takes a heap snapshot through the inspector and returns {constructor: {count, bytes}}. */
async function snapshotByConstructor(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', reject, { once: true });
  });
  const chunks = [];
  const done = new Promise((resolve) => {
    ws.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data));
      if (message.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(message.params.chunk);
      if (message.id === 1) resolve();
    });
  });
  ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.takeHeapSnapshot', params: { reportProgress: false } }));
  await done;
  ws.close();
  const snap = JSON.parse(chunks.join(''));
  const meta = snap.snapshot.meta;
  const fields = meta.node_fields;
  const width = fields.length;
  const typeNames = meta.node_types[0];
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const out = new Map();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = typeNames[snap.nodes[i + iType]];
    const raw = snap.strings[snap.nodes[i + iName]];
    // Closures by function name (--closures): which code keeps them is the useful part.
    const name = type === 'object' || type === 'native' ? raw : type === 'closure' && byClosure ? `(closure) ${raw || '(anonymous)'}` : `(${type})`;
    const entry = out.get(name) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snap.nodes[i + iSize];
    out.set(name, entry);
  }
  return out;
}

if (hasTaskset) pinSelf(1);
const fake = await startFakeUpstream({ listeners: 5 });
const gateway = await startGateway({ cpu: hasTaskset ? 0 : null, nodeArgs: ['--inspect=127.0.0.1:0'] });
const { admin } = await setUpGateway(gateway, fake.urls);
const token = await admin.createToken({ name: 'heap', unlimited: false, remainQuota: 100_000_000_000 });
const headers = { authorization: `Bearer ${token.key}`, 'content-type': 'application/json' };
const warm = pool(gateway.baseUrl, 1);
await sequential(warm, { n: 300, path: PATH, headers, body: chatBody() });
await sequential(warm, { n: 30, path: PATH, headers, body: chatBody({ stream: true, bench: { chunks: 3, interval_ms: 1 } }) });
await warm.close();
const url = inspectorUrl(gateway.output());
const before = await snapshotByConstructor(url);

const streams = pool(gateway.baseUrl, k + 10);
const body = chatBody({ stream: true, bench: { hold: true } });
let established = 0;
const ended = [];
for (let i = 0; i < k; i++) {
  while (i - established >= 200) await new Promise((r) => setTimeout(r, 5));
  ended.push(
    streams.request({ method: 'POST', path: PATH, headers, body }).then(
      (response) =>
        new Promise((resolve) => {
          let first = true;
          response.body.on('data', () => first && ((first = false), established++));
          response.body.on('end', resolve).on('error', resolve);
        }),
    ),
  );
}
while (established < k) await new Promise((r) => setTimeout(r, 50));
const during = await snapshotByConstructor(url);
while (fake.held > 0 || ended.length > 0) {
  fake.release();
  await Promise.race([Promise.all(ended), new Promise((r) => setTimeout(r, 200))]);
  if (fake.held === 0) break;
}
await Promise.all(ended);
await streams.close();
await gateway.stop();
gateway.removeFiles();
await fake.close();

const rows = [...during.entries()]
  .map(([name, d]) => {
    const b = before.get(name) ?? { count: 0, bytes: 0 };
    return { name, count: d.count - b.count, bytes: d.bytes - b.bytes };
  })
  .sort((a, b) => b.bytes - a.bytes);
const total = rows.reduce((n, r) => n + r.bytes, 0);
process.stdout.write(`${k} held streams: live heap grew ${(total / 1048576).toFixed(1)} MB = ${((total / k) / 1024).toFixed(1)} KB per stream (V8 heap only; sockets' kernel buffers and native parser memory are outside it)\n`);
process.stdout.write('per stream, by constructor (self size):\n');
for (const r of rows.slice(0, top)) process.stdout.write(`  ${(r.bytes / k).toFixed(0).padStart(7)} B  ${(r.count / k).toFixed(1).padStart(6)} objects  ${r.name}\n`);
