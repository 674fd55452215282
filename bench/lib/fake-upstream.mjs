/**
 * The benchmark's own fixed-latency fake OpenAI upstream (POST /v1/chat/completions only).
 *
 * It runs in the same process as the load generator, so the `fake_sent_at_ns` it stamps on every
 * streamed event (process.hrtime.bigint() taken just before the write) is on the same monotonic
 * clock as the client's receive time: receive − sent is each event's delivery delay, exactly.
 *
 * Each request says what it wants in an `x_bench` body field (forwarded untouched by the gateway):
 *   latency_ms   wait before answering (non-stream) or before the first event (stream)
 *   chunks       content events in a stream (default 20)
 *   interval_ms  pause between stream events (default 10; 0 = as fast as the socket takes them)
 *   chunk_chars  characters of text per content event (default 8)
 *   hold         stream: send `chunks` content events as fast as the connection takes them (1 if
 *                unset), then park until release(); the shared ticker sends one small content
 *                event to every parked stream every `holdTickMs`
 * Usage is pinned: prompt_tokens 20, completion_tokens min(10, max_tokens) — so every request's
 * cost is known in advance and a capped max_tokens is honoured as a real upstream would.
 */
import { createServer } from 'node:http';

export const PINNED_PROMPT_TOKENS = 20;
export const PINNED_COMPLETION_TOKENS = 10;

const WORDS = 'the quick brown fox jumps over a lazy dog while seven bright stars hum softly in cold night air and rivers carry stories far away'.split(' ');

const textCache = new Map();
/** Deterministic word text of exactly `chars` characters (no characters that JSON must escape). */
function textOf(chars) {
  let text = textCache.get(chars);
  if (text !== undefined) return text;
  let out = '';
  let i = 0;
  while (out.length < chars) out += (out ? ' ' : '') + WORDS[i++ % WORDS.length];
  text = out.slice(0, chars);
  textCache.set(chars, text);
  return text;
}

const CREATED = Math.floor(Date.now() / 1000);

function completionTokensFor(body) {
  const max = typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : typeof body.max_tokens === 'number' ? body.max_tokens : null;
  return max === null ? PINNED_COMPLETION_TOKENS : Math.max(0, Math.min(PINNED_COMPLETION_TOKENS, max));
}

const nonStreamCache = new Map();
/** Pre-serialised non-stream reply (the fake must cost the load core as little as possible). */
function nonStreamBody(model, completionTokens) {
  const key = `${model}\u0000${completionTokens}`;
  let body = nonStreamCache.get(key);
  if (body) return body;
  body = Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created: CREATED,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the bench fake upstream', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: PINNED_PROMPT_TOKENS,
        completion_tokens: completionTokens,
        total_tokens: PINNED_PROMPT_TOKENS + completionTokens,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    }),
  );
  nonStreamCache.set(key, body);
  return body;
}

const JSON_HEADERS_BASE = { 'content-type': 'application/json' };

/** Waits for 'drain' (or the end of the response), leaving no listener behind. */
function drained(res) {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * A stream's events, written one by one. `seq` numbers the events; `fake_sent_at_ns` is stamped
 * at write time. Each event is a separate write, separated by `interval_ms`.
 */
class StreamWriter {
  constructor(res, model, opts, completionTokens) {
    this.res = res;
    this.model = JSON.stringify(model);
    this.opts = opts;
    this.seq = 0;
    this.completionTokens = completionTokens;
    this.includeUsage = opts.includeUsage;
  }

  frame(inner) {
    // Template concatenation instead of JSON.stringify: cheap, and the bytes are deterministic.
    const ns = process.hrtime.bigint();
    const text = `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":${CREATED},"model":${this.model},${inner}${
      this.includeUsage ? ',"usage":null' : ''
    },"seq":${this.seq++},"fake_sent_at_ns":"${ns}"}\n\n`;
    return this.res.write(text);
  }

  role() {
    return this.frame('"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]');
  }

  content(chars) {
    return this.frame(`"choices":[{"index":0,"delta":{"content":"${textOf(chars)}"},"logprobs":null,"finish_reason":null}]`);
  }

  finish() {
    return this.frame('"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]');
  }

  usage() {
    const ns = process.hrtime.bigint();
    const c = this.completionTokens;
    return this.res.write(
      `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":${CREATED},"model":${this.model},"choices":[],"usage":{"prompt_tokens":${PINNED_PROMPT_TOKENS},"completion_tokens":${c},"total_tokens":${
        PINNED_PROMPT_TOKENS + c
      }},"seq":${this.seq++},"fake_sent_at_ns":"${ns}"}\n\n`,
    );
  }

  done() {
    this.res.write('data: [DONE]\n\n');
    this.res.end();
  }
}

/**
 * Starts the fake on `ports` listeners (127.0.0.1, ephemeral ports): several listeners are several
 * upstream origins, i.e. separate connection pools in the gateway.
 */
export async function startFakeUpstream({ listeners = 1, holdTickMs = 1000 } = {}) {
  const held = new Set();
  let served = 0;
  let active = 0;

  const finishStream = (w) => {
    if (w.res.destroyed) return;
    w.finish();
    if (w.includeUsage) w.usage();
    w.done();
  };

  async function stream(res, body, opts) {
    const w = new StreamWriter(res, body.model ?? 'unknown', opts, completionTokensFor(body));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const interval = opts.interval_ms;
    const chunks = opts.chunks;
    const chars = opts.chunk_chars;
    if (opts.hold) {
      w.role();
      for (let i = 0; i < chunks; i++) {
        if (res.destroyed) return;
        if (!w.content(chars)) await drained(res);
      }
      if (res.destroyed) return;
      held.add(w);
      res.once('close', () => held.delete(w));
      return;
    }
    if (interval > 0) {
      // role, content × n, finish, usage, [DONE]: every event its own write, `interval` apart.
      const steps = [() => w.role()];
      for (let i = 0; i < chunks; i++) steps.push(() => w.content(chars));
      steps.push(() => w.finish());
      if (w.includeUsage) steps.push(() => w.usage());
      steps.push(() => w.done());
      let i = 0;
      const next = () => {
        if (res.destroyed) return;
        steps[i++]();
        if (i < steps.length) setTimeout(next, interval);
      };
      next();
      return;
    }
    // As fast as the connection takes it, honouring backpressure.
    w.role();
    for (let i = 0; i < chunks; i++) {
      if (res.destroyed) return;
      if (!w.content(chars)) await drained(res);
    }
    finishStream(w);
  }

  const handler = (req, res) => {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => {
      served++;
      active++;
      res.once('close', () => active--);
      let body;
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8'));
      } catch {
        res.writeHead(400, JSON_HEADERS_BASE).end('{"error":{"message":"bad json"}}');
        return;
      }
      if (req.method !== 'POST' || !req.url.startsWith('/v1/chat/completions')) {
        res.writeHead(404, JSON_HEADERS_BASE).end('{"error":{"message":"no route"}}');
        return;
      }
      const x = body.x_bench ?? {};
      const opts = {
        latency_ms: x.latency_ms ?? 0,
        chunks: x.chunks ?? (x.hold === true ? 1 : 20),
        interval_ms: x.interval_ms ?? 10,
        chunk_chars: x.chunk_chars ?? 8,
        hold: x.hold === true,
        includeUsage: body.stream_options?.include_usage === true,
      };
      const answer = () => {
        if (res.destroyed) return;
        if (body.stream === true) {
          stream(res, body, opts).catch(() => res.destroy());
          return;
        }
        const payload = nonStreamBody(body.model ?? 'unknown', completionTokensFor(body));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': payload.length });
        res.end(payload);
      };
      if (opts.latency_ms > 0) setTimeout(answer, opts.latency_ms);
      else answer();
    });
  };

  const servers = [];
  const urls = [];
  for (let i = 0; i < listeners; i++) {
    const server = createServer({ keepAlive: true }, handler);
    // Longer than any pause between phases, so pooled connections are never closed under a request.
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 125_000;
    server.requestTimeout = 0;
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${server.address().port}`);
  }

  const ticker = setInterval(() => {
    for (const w of held) if (!w.res.destroyed) w.content(8);
  }, holdTickMs);
  ticker.unref();

  return {
    url: urls[0],
    urls,
    get served() {
      return served;
    },
    /** Requests whose response is still open. */
    get active() {
      return active;
    },
    get held() {
      return held.size;
    },
    /** Ends every parked (hold) stream: finish, usage if asked, [DONE]. */
    release() {
      const all = [...held];
      held.clear();
      for (const w of all) finishStream(w);
      return all.length;
    },
    close: async () => {
      clearInterval(ticker);
      await Promise.all(
        servers.map(
          (s) =>
            new Promise((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}
