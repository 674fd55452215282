#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): where the gateway's CPU time goes, by package
 * (self time) and by function (self and inclusive time; inclusive counts a function once per
 * sample however deep it recurses).
 *
 *   node bench/profile-summary.mjs <file.cpuprofile> [--top=25] [--from=<s>] [--json]
 *
 * --from skips the samples of the first <s> seconds (start-up, warm-up).
 */
import { readFileSync } from 'node:fs';
import { formatSummary, summarise } from './lib/profile.mjs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top=25] [--from=<s>] [--json]\n');
  process.exit(2);
}
const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);
const fromSeconds = Number(process.argv.find((a) => a.startsWith('--from='))?.slice(7) ?? 0);
const s = summarise(JSON.parse(readFileSync(file, 'utf8')), top, fromSeconds);
process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(s, null, 2)}\n` : formatSummary(s, `profile ${file}`));
