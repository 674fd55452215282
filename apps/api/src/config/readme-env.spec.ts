import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_SCHEMA } from './env-schema';

/** The README documents every variable the API reads (its configuration table is the operator's manual). */
describe('README configuration table', () => {
  const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');

  it.each(Object.keys(ENV_SCHEMA))('documents %s', (name) => {
    expect(readme).toContain(`\`${name}\``);
  });
});
