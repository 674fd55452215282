/**
 * A minimal Chrome DevTools Protocol client for the gateway's inspector (the memory parts start
 * the gateway with --inspect=127.0.0.1:0). Used only to read V8's live heap after a forced full
 * GC: RSS keeps whatever heap V8 once grew, so it cannot tell a leak or a retained output from
 * garbage not yet collected; the live heap after GC can.
 */
import { WebSocket } from 'undici';

/** The inspector's WebSocket URL from the gateway's output ("Debugger listening on ws://…"). */
export function inspectorUrl(output) {
  return /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1] ?? null;
}

export async function connectInspector(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', (e) => reject(new Error(`inspector: ${e.message ?? 'connection failed'}`)), { once: true });
  });
  let nextId = 1;
  const waiting = new Map();
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data));
    const entry = message.id !== undefined ? waiting.get(message.id) : undefined;
    if (!entry) return;
    waiting.delete(message.id);
    if (message.error) entry.reject(new Error(message.error.message));
    else entry.resolve(message.result);
  });
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    /** Any DevTools Protocol method (e.g. the heap sampling of bench/alloc-profile.mjs). */
    call,
    /**
     * Forces a full GC, then returns what is still alive, in bytes: V8's used heap plus memory
     * held outside it (Buffers, socket write queues), from the gateway's process.memoryUsage().
     */
    async liveAfterGc() {
      await call('HeapProfiler.collectGarbage');
      const reply = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
      const usage = JSON.parse(reply.result.value);
      return { heapUsed: usage.heapUsed, external: usage.external, live: usage.heapUsed + usage.external };
    },
    close() {
      ws.close();
    },
  };
}
