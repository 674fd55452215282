/**
 * Phases: the quota race (while the gateway runs) and the ledger check (after it stopped, from
 * the SQLite file with better-sqlite3).
 *
 * Quota race: a key funded for exactly 100 requests, 500 fired at once over 500 connections.
 *   - per-call price: bench-fixed costs 1000 quota a call; the key holds 100 000 → exactly 100
 *     may succeed.
 *   - ratio price with max_tokens: gpt-4o, max_tokens 10, the key holds 100 × 75; the gateway caps
 *     max_tokens of the last requests to what is left, so more than 100 may succeed, each charged
 *     less, but never more than the funding in total.
 * Overdraft = how far the key's remain_quota went below 0 (must be 0). Upstream calls = requests
 * the fake received during the race: a refused request must not reach the upstream (reservations
 * commit while admitted requests travel, so this shows the admission refuses before sending).
 *
 * Ledger (after SIGTERM, which flushes logs, counters and rollups): per key, the consume logs'
 * quotas sum to the key's used_quota, and used + remain = funding for limited keys; log rows ≥
 * the client's successful answers (≤ plus those cut off by autocannon's stop); over all keys, the
 * wallet's used_quota, request_count and quota, the channels' used_quota and the quota_data
 * rollup equal the logs' totals.
 */
import { createRequire } from 'node:module';
import { chatBody, PATH } from '../lib/context.mjs';
import { FIXED_PRICE_MODEL } from '../lib/gateway.mjs';
import { pool, post } from '../lib/load.mjs';

const require = createRequire(import.meta.url);

export const FIXED_COST = 1000;
export const RATIO_COST = 75; // (20 prompt + 10 completion × 4) × 1.25 for gpt-4o

export async function quotaRacePhase(ctx, { fired = 500 } = {}) {
  const variants = [
    { name: 'per-call price', model: FIXED_PRICE_MODEL, funding: 100 * FIXED_COST, cost: FIXED_COST, body: chatBody({ model: FIXED_PRICE_MODEL }), exact: true },
    { name: 'ratio price, capped max_tokens', model: 'gpt-4o', funding: 100 * RATIO_COST, cost: RATIO_COST, body: chatBody({ maxTokens: 10 }), exact: false },
  ];
  const results = [];
  for (const v of variants) {
    const token = await ctx.admin.createToken({ name: `race ${v.name}`, unlimited: false, remainQuota: v.funding });
    const dispatcher = pool(ctx.G.origin, fired);
    const headers = ctx.headers(token);
    const servedBefore = ctx.fake.served;
    const answers = await Promise.all(Array.from({ length: fired }, () => post(dispatcher, PATH, headers, v.body)));
    const upstreamCalls = ctx.fake.served - servedBefore;
    await dispatcher.close();
    const statuses = {};
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    const ok = statuses[200] ?? 0;
    ctx.countSuccess(token, ok, 0);
    ctx.raceTokens.push({ ...v, body: undefined, tokenId: token.id, ok, statuses, upstreamCalls });
    results.push({ name: v.name, tokenId: token.id, funding: v.funding, ok, statuses });
    // Anything other than success or a quota refusal is a gateway error.
    const unexpected = answers.filter((a) => a.status !== 200 && a.status !== 403).length;
    ctx.errors.push({ phase: `quota race (${v.name})`, errors: unexpected });
  }
  return results;
}

export function ledgerCheck(ctx, sqlitePath, gatewayOutput) {
  const Database = require('better-sqlite3');
  const db = new Database(sqlitePath, { readonly: true });
  try {
    const n = (v) => Number(v ?? 0);
    const logs = db.prepare('SELECT token_id, COUNT(*) AS rows_, SUM(quota) AS quota FROM logs WHERE type = 2 GROUP BY token_id').all();
    const logsByToken = new Map(logs.map((l) => [n(l.token_id), { rows: n(l.rows_), quota: n(l.quota) }]));
    const total = db.prepare('SELECT COUNT(*) AS rows_, COALESCE(SUM(quota), 0) AS quota FROM logs WHERE type = 2').get();
    const totalRows = n(total.rows_);
    const totalQuota = n(total.quota);
    const tokens = db.prepare('SELECT id, name, remain_quota, used_quota, unlimited_quota FROM tokens').all();
    const user = db.prepare('SELECT quota, used_quota, request_count FROM users WHERE id = ?').get(ctx.admin.userId);
    const channelUsed = n(db.prepare('SELECT COALESCE(SUM(used_quota), 0) AS q FROM channels').get().q);
    const rollup = db.prepare('SELECT COALESCE(SUM(count), 0) AS c, COALESCE(SUM(quota), 0) AS q FROM quota_data').get();
    const problems = [];
    const perToken = [];
    for (const t of tokens) {
      const id = n(t.id);
      const l = logsByToken.get(id) ?? { rows: 0, quota: 0 };
      const expected = ctx.successByToken.get(id) ?? { ok: 0, slack: 0, funding: null };
      if (l.quota !== n(t.used_quota)) problems.push(`token #${id}: logs sum ${l.quota} ≠ used_quota ${n(t.used_quota)}`);
      if (l.rows < expected.ok) problems.push(`token #${id}: ${l.rows} log rows < ${expected.ok} successful answers (rows lost)`);
      if (l.rows > expected.ok + expected.slack) problems.push(`token #${id}: ${l.rows} log rows > ${expected.ok} answers + ${expected.slack} cut off`);
      if (expected.funding !== null && expected.funding !== undefined && n(t.remain_quota) + n(t.used_quota) !== expected.funding) {
        problems.push(`token #${id}: remain ${n(t.remain_quota)} + used ${n(t.used_quota)} ≠ funding ${expected.funding}`);
      }
      perToken.push({ id, name: t.name, logRows: l.rows, logQuota: l.quota, usedQuota: n(t.used_quota), remainQuota: n(t.remain_quota), answered: expected.ok, cutOff: expected.slack });
    }
    if (n(user.used_quota) !== totalQuota) problems.push(`wallet used_quota ${n(user.used_quota)} ≠ logs ${totalQuota}`);
    if (n(user.request_count) !== totalRows) problems.push(`wallet request_count ${n(user.request_count)} ≠ log rows ${totalRows}`);
    if (n(user.quota) + n(user.used_quota) !== ctx.walletFunding) problems.push(`wallet quota ${n(user.quota)} + used ${n(user.used_quota)} ≠ funding ${ctx.walletFunding}`);
    if (channelUsed !== totalQuota) problems.push(`channels used_quota ${channelUsed} ≠ logs ${totalQuota}`);
    if (n(rollup.q) !== totalQuota || n(rollup.c) !== totalRows) problems.push(`quota_data ${n(rollup.c)} rows / ${n(rollup.q)} quota ≠ logs ${totalRows} / ${totalQuota}`);
    const busy = (gatewayOutput.match(/SQLITE_BUSY|database is locked/g) ?? []).length;

    const race = ctx.raceTokens.map((r) => {
      const t = tokens.find((x) => n(x.id) === r.tokenId);
      const remain = n(t?.remain_quota);
      const charged = logsByToken.get(r.tokenId)?.quota ?? 0;
      const overdraft = Math.max(0, -remain, charged - r.funding);
      return { name: r.name, funding: r.funding, ok: r.ok, statuses: r.statuses, upstreamCalls: r.upstreamCalls, remain, charged, overdraft, exact: r.exact, expectedOk: r.exact ? r.funding / r.cost : null };
    });
    return { totalRows, totalQuota, wallet: { quota: n(user.quota), used: n(user.used_quota), requests: n(user.request_count) }, channelUsed, rollup: { count: n(rollup.c), quota: n(rollup.q) }, perToken, problems, sqliteBusy: busy, race };
  } finally {
    db.close();
  }
}

/** Figures from the ledger checks of every gateway instance (`ledgers`: [{gateway, ...ledgerCheck}]). */
export function addLedgerFigures(ctx, ledgers) {
  const problems = ledgers.flatMap((l) => l.problems.map((p) => `${l.gateway}: ${p}`));
  const rows = ledgers.reduce((n, l) => n + l.totalRows, 0);
  const quota = ledgers.reduce((n, l) => n + l.totalQuota, 0);
  const busy = ledgers.reduce((n, l) => n + l.sqliteBusy, 0);
  ctx.figures.add({
    id: 'billing.ledger_exact',
    figure: 'ledger exact after load (logs = keys = wallet = channels = rollup)',
    measured: problems.length === 0 ? `exact: ${rows.toLocaleString('en')} requests, ${quota.toLocaleString('en')} quota, ${ledgers.length} gateway${ledgers.length === 1 ? "" : "s"}` : `${problems.length} mismatches`,
    value: problems.length,
    target: 'exact',
    pass: problems.length === 0,
    note: problems.slice(0, 4).join('; '),
  });
  ctx.figures.add({
    id: 'billing.sqlite_busy',
    figure: 'SQLITE_BUSY in the gateways\' output',
    measured: String(busy),
    value: busy,
    target: '0',
    pass: busy === 0,
  });
  for (const r of ledgers.flatMap((l) => l.race)) {
    const okPass = r.exact ? r.ok === r.expectedOk : true;
    ctx.figures.add({
      id: `billing.quota_race.${r.exact ? 'price' : 'ratio'}`,
      figure: `quota race, ${r.name}: 500 at once, key funded for 100`,
      measured: `${r.ok} succeeded, overdraft ${r.overdraft}, charged ${r.charged.toLocaleString('en')} of ${r.funding.toLocaleString('en')}`,
      value: r.overdraft,
      target: r.exact ? 'overdraft 0, exactly 100 succeed' : 'overdraft 0, charged ≤ funding',
      pass: r.overdraft === 0 && okPass,
      note: `answers ${JSON.stringify(r.statuses)}; key remain ${r.remain}; upstream calls ${r.upstreamCalls}`,
    });
  }
}
