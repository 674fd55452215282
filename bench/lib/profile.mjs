/** Summary of a V8 .cpuprofile: self time by package, top functions by self and inclusive time. */

export function summarise(profile, topN = 25, fromSeconds = 0) {
  // Keep only samples taken at least `fromSeconds` after the profile started.
  if (fromSeconds > 0) {
    const samples = [];
    const deltas = [];
    let t = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i] ?? 0;
      if (t >= fromSeconds * 1e6) {
        samples.push(profile.samples[i]);
        deltas.push(profile.timeDeltas[i]);
      }
    }
    profile = { ...profile, samples, timeDeltas: deltas };
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
    total += dt;
  }
  const pkgOf = (url) => {
    if (!url) return '(native / V8)';
    const nm = url.lastIndexOf('node_modules/');
    if (nm >= 0) {
      const rest = url.slice(nm + 13).split('/');
      return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    }
    if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] === 'internal' ? 'internal' : url.slice(5)}`;
    const m = /\/(apps\/[^/]+|libs\/(?:providers\/)?[^/]+)\//.exec(url);
    if (m) return m[1];
    return url;
  };
  const keyOf = (n) => {
    const f = n.callFrame;
    const name = f.functionName || '(anonymous)';
    const url = f.url ? f.url.replace(/^file:\/\//, '').replace(/.*\/(node_modules|apps|libs)\//, '$1/') : '';
    return `${name} ${url ? `${url}:${f.lineNumber + 1}` : ''}`.trim();
  };
  const byPackage = new Map();
  const bySelf = new Map();
  const special = new Set(['(idle)', '(program)', '(garbage collector)']);
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    const name = n.callFrame.functionName;
    const pkg = special.has(name) ? name : pkgOf(n.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const k = keyOf(n);
    bySelf.set(k, (bySelf.get(k) ?? 0) + us);
  }
  // Inclusive: walk each sample's stack once.
  const inclusive = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    const seen = new Set();
    let id = profile.samples[i];
    while (id !== undefined) {
      const n = byId.get(id);
      const k = keyOf(n);
      if (!seen.has(k)) {
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
      }
      id = parent.get(id);
    }
  }
  // Attribution to the nearest frame of the gateway's own code (apps/, libs/): which of its
  // functions, with the library work they call, the time goes to. Async continuations keep their
  // own function as the bottom frame, so this survives awaits where inclusive time does not.
  const byOwnFrame = new Map();
  const isOwn = (n) => /\/(apps|libs)\//.test(n.callFrame.url) && !/node_modules/.test(n.callFrame.url);
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    let id = profile.samples[i];
    const leaf = byId.get(id);
    if (special.has(leaf.callFrame.functionName)) continue;
    let owner = null;
    const stack = [];
    while (id !== undefined) {
      const n = byId.get(id);
      stack.push(n);
      if (!owner && isOwn(n)) owner = keyOf(n);
      id = parent.get(id);
    }
    if (!owner) {
      // No gateway frame: name the outermost library the sample runs under (e.g. TypeORM resumed
      // after an await, Express's middleware chain, Node's HTTP parser).
      const outer = [...stack].reverse().find((n) => n.callFrame.url && !n.callFrame.url.startsWith('node:internal'));
      owner = `(no gateway frame, under ${outer ? pkgOf(outer.callFrame.url) : 'V8/native'})`;
    }
    byOwnFrame.set(owner, (byOwnFrame.get(owner) ?? 0) + dt);
  }
  const idle = byPackage.get('(idle)') ?? 0;
  const busy = total - idle;
  const rank = (m, n) =>
    [...m.entries()]
      .filter(([k]) => !special.has(k.split(' ')[0]) && k !== '(root)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => ({ what: k, ms: Math.round(us / 1000), pctOfBusy: Math.round((us / busy) * 1000) / 10 }));
  return {
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    byPackage: [...byPackage.entries()]
      .filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => ({ what: k, ms: Math.round(us / 1000), pctOfBusy: Math.round((us / busy) * 1000) / 10 })),
    topSelf: rank(bySelf, topN),
    byOwnFrame: rank(byOwnFrame, topN),
    topInclusive: rank(inclusive, topN * 2),
  };
}

/** Prints a summary as text. */
export function formatSummary(s, title) {
  let out = `${title}: ${s.totalMs} ms sampled, ${s.busyMs} ms busy (not idle)\n`;
  const section = (heading, rows) => {
    out += `\n${heading}\n`;
    for (const r of rows) out += `  ${String(r.pctOfBusy).padStart(5)}%  ${String(r.ms).padStart(7)} ms  ${r.what}\n`;
  };
  section('Self time by package / category (% of busy)', s.byPackage.slice(0, 25));
  section('Top functions by self time', s.topSelf);
  section('By nearest gateway function (its own time plus the library code it calls)', s.byOwnFrame);
  section('Top functions by inclusive time', s.topInclusive);
  return out;
}
