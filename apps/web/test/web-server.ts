/**
 * Starts the BUILT web app (`next start`, no build here) on a free port against an API base URL,
 * for the web's end-to-end tests. Needs `npm run build -w @your-api/web` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const WEB_DIR = path.resolve(__dirname, '..');
const BUILD_ID = path.join(WEB_DIR, '.next', 'BUILD_ID');

export interface RunningWeb {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = http.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startWeb(apiBaseUrl: string, timeoutMs = 30_000): Promise<RunningWeb> {
  if (!existsSync(BUILD_ID)) {
    throw new Error(`The web app is not built (${BUILD_ID} is missing). Run \`npm run build:web\` first.`);
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const nextBin = require.resolve('next/dist/bin/next', { paths: [WEB_DIR] });
  const child: ChildProcess = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: WEB_DIR,
    env: { ...process.env, API_BASE_URL: apiBaseUrl, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));

  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${logs}`);
    try {
      const res = await fetch(`${baseUrl}/login`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer within ${timeoutMs} ms:\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseUrl, output: () => logs, stop };
}
