// `npm run start:api`: builds the API if it is not built, then runs it in the foreground.
// Honours PORT, SQLITE_PATH, SQL_DSN and every other variable of the README.
import { existsSync } from 'node:fs';
import { apiNodeFlags, npm, run } from './lib.mjs';

try {
  if (!existsSync('apps/api/dist/main.js')) await run(npm, ['run', 'build:api']);
  await run(process.execPath, [...apiNodeFlags, 'apps/api/dist/main.js']);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
