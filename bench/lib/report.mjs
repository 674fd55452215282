/** The results table (Markdown): figure, measured, target, result, then the notes. */
export function status(row) {
  return (!row.valid ? 'INVALID' : row.pass === null ? 'info' : row.pass ? 'pass' : 'FAIL') + (row.noisy ? ' (noisy)' : '') + (row.rerun ? ' (rerun)' : '');
}

export function formatTable(rows, { notes = true } = {}) {
  const table = rows.map((r) => [r.figure, r.measured, r.target, status(r)]);
  const head = ['figure', 'measured: G − D, median [min … max] over rounds', 'target', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).replaceAll('|', '\\|').padEnd(widths[i])).join(' | ')} |`;
  let out = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.map(line)].join('\n') + '\n';
  const withNotes = rows.filter((r) => r.note);
  if (notes && withNotes.length) out += `\nNotes:\n${withNotes.map((r) => `- ${r.figure}: ${r.note}`).join('\n')}\n`;
  return out;
}
