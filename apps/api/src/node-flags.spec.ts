import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The API's production Node.js flags live in apps/api/node-flags.json (read by `npm start`,
 * `npm run start:api` and the benchmark); the two launchers that cannot read it carry a copy.
 */
const apiDir = join(__dirname, '..');
const flags = JSON.parse(readFileSync(join(apiDir, 'node-flags.json'), 'utf8')) as string[];

describe('API node flags', () => {
  it('are a small young generation (see the README performance section)', () => {
    expect(flags).toEqual(['--max-semi-space-size=8']);
  });

  it("apps/api's start script runs with them", () => {
    const pkg = JSON.parse(readFileSync(join(apiDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(['node', ...flags, 'dist/main.js'].join(' '));
  });

  it("the Dockerfile's CMD runs with them", () => {
    const dockerfile = readFileSync(join(apiDir, '../../docker/api.Dockerfile'), 'utf8');
    const cmd = dockerfile.split('\n').find((line) => line.startsWith('CMD ['));
    expect(cmd && (JSON.parse(cmd.slice(4)) as string[])).toEqual(['node', ...flags, 'apps/api/dist/main.js']);
  });
});
