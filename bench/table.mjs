#!/usr/bin/env node
/** Prints the Markdown table of a results file: node bench/table.mjs [bench/results/latest.json] */
import { readFileSync } from 'node:fs';
import { formatTable } from './lib/report.mjs';

const file = process.argv[2] ?? new URL('./results/latest.json', import.meta.url).pathname;
const result = JSON.parse(readFileSync(file, 'utf8'));
const m = result.machine;
process.stdout.write(`${result.mode} run of ${result.date} (${result.seconds} s): ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}, commit ${m.commit}${m.uncommittedFilesInAppsLibs ? ` + ${m.uncommittedFilesInAppsLibs} uncommitted files in apps/libs` : ''}; ${result.pinned ? 'gateway on cpu 0, fake + load on cpu 1 (taskset)' : 'not pinned'}\n\n`);
process.stdout.write(formatTable(result.figures));
for (const r of result.reruns ?? []) process.stdout.write(`\nRerun ${r.date} (${r.seconds} s): ${r.phases.join(', ')}; correctness ${r.ok ? 'ok' : JSON.stringify(r.correctness)}\n`);
