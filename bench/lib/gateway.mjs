/**
 * The gateway under test, run as in production: the built API (apps/api/dist/main.js), NODE_ENV
 * production, SQLite in a fresh temporary directory, auth, routing and billing on, pinned to one
 * core with taskset when it exists. Set up through the management API like an operator would.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
export const REPO_ROOT = resolve(here, '../..');
export const API_ENTRY = join(REPO_ROOT, 'apps/api/dist/main.js');
/** The Node.js flags the API runs with in production (npm start, the Dockerfile). */
export const API_NODE_FLAGS = JSON.parse(readFileSync(join(REPO_ROOT, 'apps/api/node-flags.json'), 'utf8'));
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export const hasTaskset = (() => {
  const r = spawnSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' });
  return r.status === 0;
})();

/** Pins every thread of this process to `cpu` (children inherit it unless they re-pin). */
export function pinSelf(cpu) {
  if (!hasTaskset) return false;
  return spawnSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { encoding: 'utf8' }).status === 0;
}

export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** utime + stime of a process (all its threads), in microseconds, from /proc/<pid>/stat. */
export function processCpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / CLK_TCK;
}

/** Process ids whose parent is `pid` (cluster workers of a primary). */
export function childPids(pid) {
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return children;
}

/** Resident memory of a process in bytes (VmRSS of /proc/<pid>/status). */
export function processRssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

export class AdminClient {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookie = '';
    this.userId = null;
  }

  async login(username = 'root', password = '123456') {
    const response = await fetch(`${this.baseUrl}/api/user/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = await response.json();
    if (!body.success) throw new Error(`login failed: ${JSON.stringify(body)}`);
    this.userId = body.data.id;
    this.cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return this;
  }

  async call(method, path, payload) {
    const headers = { cookie: this.cookie, 'New-Api-User': String(this.userId) };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
    const body = await response.json();
    if (!body.success) throw new Error(`${method} ${path} failed (${response.status}): ${JSON.stringify(body).slice(0, 500)}`);
    return body.data;
  }

  /** POST /api/channel/ as the relay end-to-end fixtures do; returns the channel id. */
  async createChannel({ name, baseUrl, models }) {
    const data = await this.call('POST', '/api/channel/', {
      type: 1,
      key: 'sk-bench-upstream',
      group: 'default',
      name,
      base_url: baseUrl,
      models,
    });
    if (Array.isArray(data)) return data[0].id;
    if (data && typeof data === 'object' && 'id' in data) return data.id;
    const list = await this.call('GET', '/api/channel/?p=1&page_size=1');
    return list.items[0].id;
  }

  /** POST /api/token/; returns {id, key} with the sk- prefix. */
  async createToken({ name, remainQuota = 0, unlimited = true }) {
    const data = await this.call('POST', '/api/token/', {
      name,
      remain_quota: remainQuota,
      unlimited_quota: unlimited,
      expired_time: -1,
    });
    return { id: data.id, key: data.key.startsWith('sk-') ? data.key : `sk-${data.key}` };
  }

  setOption(key, value) {
    return this.call('PUT', '/api/option/', { key, value: typeof value === 'string' ? value : JSON.stringify(value) });
  }

  async getOption(key) {
    const list = await this.call('GET', '/api/option/');
    const entry = (Array.isArray(list) ? list : []).find((o) => o.key === key);
    return entry?.value;
  }
}

/**
 * Starts the gateway on a free port with a fresh SQLite file. `cpu` pins it with taskset;
 * `nodeArgs` go to node (e.g. --cpu-prof); `env` adds variables; `entry` is another build's main.js.
 */
export async function startGateway({ cpu = 0, env = {}, nodeArgs = [], entry = API_ENTRY } = {}) {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build:api\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'your-api-bench-'));
  const sqlitePath = join(dir, 'one-api.db');
  const port = await freePort();
  const command = hasTaskset && cpu !== null ? 'taskset' : process.execPath;
  // The production flags first (apps/api/node-flags.json); `nodeArgs` after them, so they can override.
  const flags = [...API_NODE_FLAGS, ...nodeArgs];
  const args = hasTaskset && cpu !== null ? ['-c', String(cpu), process.execPath, ...flags, entry] : [...flags, entry];
  const child = spawn(command, args, {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      SQLITE_PATH: sqlitePath,
      SESSION_SECRET: 'bench-session-secret',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c.toString()));
  child.stderr.on('data', (c) => (output += c.toString()));
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited during start (code ${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${baseUrl}/api/status`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not answer /api/status within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Cluster mode: the other workers start after the first answers; the primary says when all listen.
  const workers = Number(env.CLUSTER_WORKERS ?? 0);
  if (workers > 1) {
    while (!output.includes(`all ${workers} workers listening`)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`cluster workers did not all start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // A cluster's CPU time is its primary's plus its workers' (their /proc/<pid>/stat counts only their own threads).
  const cpuMicros = () => processCpuMicros(child.pid) + (workers > 1 ? childPids(child.pid).reduce((sum, pid) => sum + processCpuMicros(pid), 0) : 0);
  return {
    pid: child.pid,
    workers: Math.max(1, workers),
    port,
    baseUrl,
    dir,
    sqlitePath,
    output: () => output,
    cpuMicros,
    rssBytes: () => processRssBytes(child.pid),
    /** SIGTERM (the gateway flushes its ledger, logs and rollups), then waits for the exit. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
    removeFiles() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Prices used by the benchmark: a per-call model (quota race) and a free one (billing off). */
export const FIXED_PRICE_MODEL = 'bench-fixed';
export const FREE_MODEL = 'bench-free';
/** Served by a single channel (the one-origin check); priced per call like bench-fixed. */
export const ONE_ORIGIN_MODEL = 'bench-one';
/** $0.002 per call × QuotaPerUnit 500000 = 1000 quota per request. */
export const FIXED_PRICE_USD = 0.002;

/**
 * Operator set-up: root logs in, its wallet is raised (the run spends more than the default
 * 100M quota reserves), the two bench models get prices, and one channel per fake listener.
 */
export async function setUpGateway(gateway, fakeUrls, { models = `gpt-4o,${FIXED_PRICE_MODEL},${FREE_MODEL}` } = {}) {
  const admin = await new AdminClient(gateway.baseUrl).login();
  await admin.call('PUT', '/api/user/', { id: admin.userId, quota: 1_000_000_000_000 });
  const prices = JSON.parse((await admin.getOption('ModelPrice')) || '{}');
  prices[FIXED_PRICE_MODEL] = FIXED_PRICE_USD;
  prices[FREE_MODEL] = 0;
  prices[ONE_ORIGIN_MODEL] = FIXED_PRICE_USD;
  await admin.setOption('ModelPrice', prices);
  const channels = [];
  for (let i = 0; i < fakeUrls.length; i++) {
    channels.push(await admin.createChannel({ name: `bench fake ${i + 1}`, baseUrl: fakeUrls[i], models }));
  }
  return { admin, channels };
}

/** Starts the bare pass-through proxy (reference arm B) in front of `target`, pinned like the gateway. */
export async function startBareProxy(target, { cpu = 0 } = {}) {
  const port = await freePort();
  const script = join(here, 'bare-proxy-server.mjs');
  const command = hasTaskset && cpu !== null ? 'taskset' : process.execPath;
  const args = hasTaskset && cpu !== null ? ['-c', String(cpu), process.execPath, script, target, String(port)] : [script, target, String(port)];
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolveReady, reject) => {
    child.stdout.on('data', (chunk) => {
      if (chunk.toString().includes('ready')) resolveReady();
    });
    child.once('exit', (code) => reject(new Error(`bare proxy exited (${code})`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid,
    cpuMicros: () => processCpuMicros(child.pid),
    stop() {
      child.kill('SIGTERM');
    },
  };
}
