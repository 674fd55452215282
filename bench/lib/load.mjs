/**
 * Load generation, in the same process (and on the same clock) as the fake upstream:
 * sequential requests, an open-loop generator at a fixed rate, autocannon at fixed concurrency,
 * and a raw-socket SSE client that sees exactly what each socket read delivered.
 */
import { connect } from 'node:net';
import autocannon from 'autocannon';
import { Pool } from 'undici';

const hr = () => process.hrtime.bigint();

export function pool(origin, connections = 1) {
  return new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 120_000, keepAliveMaxTimeout: 600_000, headersTimeout: 0, bodyTimeout: 0 });
}

/** One POST, body read to the end; returns status and elapsed milliseconds. */
export async function post(dispatcher, path, headers, body) {
  const t0 = hr();
  try {
    const response = await dispatcher.request({ method: 'POST', path, headers, body });
    await response.body.dump({ limit: Infinity });
    return { status: response.statusCode, ms: Number(hr() - t0) / 1e6 };
  } catch (error) {
    return { status: 0, ms: Number(hr() - t0) / 1e6, error: String(error?.code ?? error) };
  }
}

/** `n` requests one after the other; latencies in ms and a count of non-200 answers. */
export async function sequential(dispatcher, { n, path, headers, body }) {
  const latencies = new Float64Array(n);
  const statuses = {};
  let errors = 0;
  for (let i = 0; i < n; i++) {
    const r = await post(dispatcher, path, headers, body);
    latencies[i] = r.ms;
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status !== 200) errors++;
  }
  return { latencies, errors, statuses, ok: n - errors };
}

/**
 * Open loop: requests are sent on a fixed schedule whatever the answers, so a slow server faces
 * the same arrival rate (no coordinated omission). Latency is measured from the actual send;
 * the schedule lag (send − planned) is reported so a late generator is visible.
 */
export function openLoop(dispatcher, { rate, durationMs, path, headers, body }) {
  const total = Math.round((rate * durationMs) / 1000);
  const intervalNs = 1e9 / rate;
  const latencies = [];
  const lags = [];
  const statuses = {};
  let errors = 0;
  let outstanding = 0;
  let maxOutstanding = 0;
  let sent = 0;
  const start = hr() + 2_000_000n;
  return new Promise((resolve) => {
    const finishIfDone = () => {
      if (sent === total && outstanding === 0) resolve({ latencies: Float64Array.from(latencies), lags: Float64Array.from(lags), errors, statuses, maxOutstanding, ok: latencies.length - errors });
    };
    const fire = (planned) => {
      const now = hr();
      lags.push(Number(now - planned) / 1e6);
      outstanding++;
      if (outstanding > maxOutstanding) maxOutstanding = outstanding;
      post(dispatcher, path, headers, body).then((r) => {
        outstanding--;
        latencies.push(r.ms);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status !== 200) errors++;
        finishIfDone();
      });
    };
    const tick = () => {
      const now = hr();
      while (sent < total) {
        const planned = start + BigInt(Math.round(sent * intervalNs));
        if (planned > now) break;
        sent++;
        fire(planned);
      }
      if (sent < total) setTimeout(tick, 1);
      else finishIfDone();
    };
    setTimeout(tick, 1);
  });
}

/** autocannon at fixed concurrency for `seconds`; returns its result (requests, latency, 2xx, non2xx, errors). */
export function cannon({ url, connections, seconds, headers, body }) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, method: 'POST', connections, pipelining: 1, duration: seconds, headers, body, timeout: 30 },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/**
 * A minimal HTTP/1.1 client on a raw socket, for SSE. Node's and undici's parsers hand the body
 * over per HTTP chunk; this one records what every socket read delivered, so two events that
 * arrived in one read are seen as merged. Connections are kept alive and reused.
 */
export class RawSseClient {
  constructor(origin) {
    const url = new URL(origin);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.idle = [];
  }

  socket() {
    const idle = this.idle.pop();
    if (idle && !idle.destroyed) return Promise.resolve(idle);
    return new Promise((resolve, reject) => {
      const s = connect({ host: this.host, port: this.port, noDelay: true }, () => resolve(s));
      s.once('error', reject);
    });
  }

  close() {
    for (const s of this.idle) s.destroy();
    this.idle = [];
  }

  /**
   * POSTs `body` and reads the SSE answer. Returns the status, the first content event's arrival
   * (ttftMs from the send), and for every event carrying fake_sent_at_ns: its seq, the fake's send
   * time and the arrival time (ns), plus, per socket read, which events it completed
   * (`reads`: [{seqs, done}]).
   */
  async stream({ path, headers, body }) {
    const s = await this.socket();
    const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
    let head = `POST ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\ncontent-type: application/json\r\naccept: text/event-stream\r\ncontent-length: ${payload.length}\r\n`;
    for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() !== 'content-type') head += `${k}: ${v}\r\n`;
    head += '\r\n';
    return new Promise((resolve) => {
      const t0 = hr();
      let buffer = '';
      let headerDone = false;
      let status = 0;
      let chunked = false;
      let ttftNs = null;
      const events = [];
      const reads = [];
      let sawDone = false;
      const finish = (reuse, error) => {
        s.off('data', onData);
        s.off('close', onClose);
        s.off('error', onClose);
        if (reuse && !s.destroyed) this.idle.push(s);
        else s.destroy();
        resolve({ status, ttftMs: ttftNs === null ? NaN : Number(ttftNs - t0) / 1e6, events, reads, sawDone, error });
      };
      const onClose = () => finish(false, sawDone ? undefined : 'closed before [DONE]');
      const onData = (data) => {
        const now = hr();
        buffer += data.toString('latin1');
        if (!headerDone) {
          const end = buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          const headText = buffer.slice(0, end);
          status = Number(headText.slice(9, 12));
          chunked = /transfer-encoding:\s*chunked/i.test(headText);
          buffer = buffer.slice(end + 4);
          headerDone = true;
          if (status !== 200) {
            finish(false, `HTTP ${status}`);
            return;
          }
        }
        // Only SSE frames end in "\n\n" (chunk-size lines use \r\n): find the frames this read completed.
        const last = buffer.lastIndexOf('\n\n');
        if (last >= 0) {
          const text = buffer.slice(0, last + 2);
          buffer = buffer.slice(last + 2);
          const group = { seqs: [], done: false };
          const re = /"seq":(\d+),"fake_sent_at_ns":"(\d+)"\}|data: \[DONE\]/g;
          let m;
          while ((m = re.exec(text)) !== null) {
            if (m[1] === undefined) {
              sawDone = true;
              group.done = true;
              continue;
            }
            const seq = Number(m[1]);
            group.seqs.push(seq);
            events.push({ seq, sentNs: BigInt(m[2]), recvNs: now });
            // The first content event: its frame holds a non-empty content delta.
            if (ttftNs === null) {
              const frameStart = text.lastIndexOf('data: ', m.index);
              if (/"delta":\{"content":"[^"]/.test(text.slice(frameStart, m.index))) ttftNs = now;
            }
          }
          if (group.seqs.length > 0 || group.done) reads.push(group);
        }
        if (sawDone && (!chunked || buffer.endsWith('0\r\n\r\n'))) finish(true);
      };
      s.on('data', onData);
      s.once('close', onClose);
      s.once('error', onClose);
      s.write(head);
      s.write(payload);
    });
  }
}
