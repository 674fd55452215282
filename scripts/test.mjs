// `npm test`: builds what the end-to-end suites start (libs, API, web), then runs every jest project.
// Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
import { npm, run } from './lib.mjs';

const jestArgs = process.argv.slice(2);
try {
  await run(npm, ['run', 'build']);
  await run(process.execPath, ['node_modules/jest/bin/jest.js', '--ci', ...jestArgs]);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
