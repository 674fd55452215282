// `npm start`: builds API and web if needed, then runs both: API on PORT (3000), web on WEB_PORT (3001),
// the web proxying /api and /v1 to the API. Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { apiNodeFlags, npm, run } from './lib.mjs';

const apiPort = process.env.PORT ?? '3000';
const webPort = process.env.WEB_PORT ?? '3001';

try {
  if (!existsSync('apps/api/dist/main.js')) await run(npm, ['run', 'build:api']);
  if (!existsSync('apps/web/.next/BUILD_ID')) await run(npm, ['run', 'build', '-w', '@your-api/web']);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

const children = [
  spawn(process.execPath, [...apiNodeFlags, 'apps/api/dist/main.js'], { stdio: 'inherit', env: { ...process.env, PORT: apiPort } }),
  spawn(npm, ['run', 'start', '-w', '@your-api/web'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      WEB_PORT: webPort,
      API_BASE_URL: process.env.API_BASE_URL ?? `http://127.0.0.1:${apiPort}`,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  }),
];
let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
};
for (const child of children) child.on('exit', (code) => stop(code ?? 1));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
