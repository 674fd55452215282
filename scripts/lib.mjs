// Shared helpers of the npm scripts: run a command and stop on failure.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Node.js flags the API runs with in production (apps/api/node-flags.json; the Dockerfile and
 * apps/api's start script carry the same, checked by a test): an 8 MB young generation, see the
 * README's performance section.
 */
export const apiNodeFlags = JSON.parse(readFileSync(new URL('../apps/api/node-flags.json', import.meta.url), 'utf8'));
