import { LedgerTable, PendingDeltas } from './ledger-batch';

/**
 * The quota moves of admission and settlement, written once as generator "programs" that yield
 * one database step at a time and receive whether it applied. The repository runs them
 * synchronously inside one SQLite transaction, or statement by statement on MySQL/PostgreSQL
 * (where a failed second step is undone by an exact compensating move, never left half done).
 *
 * Programs have no side effects of their own, so a run that was rolled back can be run again.
 */
export type LedgerStep =
  /** Guarded debit: applies only if the row has `amount` left (tokens: remain_quota, users: quota). */
  | { kind: 'take'; table: 'tokens' | 'users'; id: number; amount: number }
  /** Unguarded move, written at once. */
  | { kind: 'move'; table: LedgerTable; id: number; deltas: PendingDeltas }
  /** Unguarded usage counter: summed in memory with BATCH_UPDATE_ENABLED, else written like a move. */
  | { kind: 'count'; table: LedgerTable; id: number; deltas: PendingDeltas };

export type LedgerProgram<T> = Generator<LedgerStep, T, boolean>;

export interface LedgerPayer {
  /** 0: no token (the playground); the wallet pays alone and no token row is touched. */
  tokenId: number;
  tokenUnlimited: boolean;
  userId: number;
}

/** Whether a token row takes part in the moves: a limited token's balance is reserved and settled. */
const debitsToken = (payer: LedgerPayer): boolean => payer.tokenId > 0 && !payer.tokenUnlimited;

export type ReserveOutcome = 'reserved' | 'token-short' | 'user-short';

const deltas = (quota: number, used: number, requests = 0): PendingDeltas => ({ quota, used, requests });

/**
 * Takes `amount` from a limited token (guarded) and from the wallet (guarded). If the wallet
 * cannot pay, the token's part is given back, so a refusal leaves both untouched.
 */
export function* reserveProgram(payer: LedgerPayer, amount: number): LedgerProgram<ReserveOutcome> {
  if (amount <= 0) return 'reserved';
  if (debitsToken(payer) && !(yield { kind: 'take', table: 'tokens', id: payer.tokenId, amount })) return 'token-short';
  if (!(yield { kind: 'take', table: 'users', id: payer.userId, amount })) {
    if (debitsToken(payer)) yield { kind: 'move', table: 'tokens', id: payer.tokenId, deltas: deltas(amount, -amount) };
    return 'user-short';
  }
  return 'reserved';
}

/**
 * Settles a request reserved `reserved` at `actual`; returns what was charged: `actual`, except
 * that a limited token is never taken below zero (a cost above the reservation it cannot cover is
 * not charged). The wallet may go below zero on an extra charge, as in New API.
 *
 * `batchCounters`: with BATCH_UPDATE_ENABLED, balances that admission reads (limited tokens'
 * remain, wallets' quota) are still written at once; usage counters are yielded as `count`.
 */
export function* settleProgram(
  payer: LedgerPayer,
  reserved: number,
  actual: number,
  channelId: number,
  batchCounters: boolean,
): LedgerProgram<number> {
  let charged = Math.max(0, Math.floor(actual));
  if (payer.tokenId <= 0) {
    // No token (the playground): the wallet pays alone.
  } else if (payer.tokenUnlimited) {
    // Unlimited tokens were not debited at admission: count their usage now.
    if (charged !== 0) yield { kind: 'count', table: 'tokens', id: payer.tokenId, deltas: deltas(-charged, charged) };
  } else if (charged <= reserved) {
    const giveBack = reserved - charged;
    if (giveBack !== 0) yield { kind: 'move', table: 'tokens', id: payer.tokenId, deltas: deltas(giveBack, -giveBack) };
  } else if (!(yield { kind: 'take', table: 'tokens', id: payer.tokenId, amount: charged - reserved })) {
    charged = reserved;
  }
  const giveBack = reserved - charged;
  if (batchCounters) {
    if (giveBack !== 0) yield { kind: 'move', table: 'users', id: payer.userId, deltas: deltas(giveBack, 0) };
    yield { kind: 'count', table: 'users', id: payer.userId, deltas: deltas(0, charged, 1) };
  } else {
    yield { kind: 'move', table: 'users', id: payer.userId, deltas: deltas(giveBack, charged, 1) };
  }
  if (channelId > 0 && charged !== 0) yield { kind: 'count', table: 'channels', id: channelId, deltas: deltas(0, charged) };
  return charged;
}

/** Gives back everything reserved (the request failed). */
export function* refundProgram(payer: LedgerPayer, reserved: number): LedgerProgram<void> {
  if (reserved <= 0) return;
  if (debitsToken(payer)) yield { kind: 'move', table: 'tokens', id: payer.tokenId, deltas: deltas(reserved, -reserved) };
  yield { kind: 'move', table: 'users', id: payer.userId, deltas: deltas(reserved, 0) };
}

/** One SQL statement per step kind and table; `?` placeholders, parameters from `stepParams`. */
export function stepSql(step: LedgerStep): string {
  if (step.kind === 'take') {
    return step.table === 'tokens'
      ? 'UPDATE tokens SET remain_quota = remain_quota - ?, used_quota = used_quota + ? WHERE id = ? AND remain_quota >= ?'
      : 'UPDATE users SET quota = quota - ? WHERE id = ? AND quota >= ?';
  }
  switch (step.table) {
    case 'tokens':
      return 'UPDATE tokens SET remain_quota = remain_quota + ?, used_quota = used_quota + ? WHERE id = ?';
    case 'users':
      return 'UPDATE users SET quota = quota + ?, used_quota = used_quota + ?, request_count = request_count + ? WHERE id = ?';
    case 'channels':
      return 'UPDATE channels SET used_quota = used_quota + ? WHERE id = ?';
  }
}

export function stepParams(step: LedgerStep): number[] {
  if (step.kind === 'take') {
    return step.table === 'tokens' ? [step.amount, step.amount, step.id, step.amount] : [step.amount, step.id, step.amount];
  }
  const { quota, used, requests } = step.deltas;
  switch (step.table) {
    case 'tokens':
      return [quota, used, step.id];
    case 'users':
      return [quota, used, requests, step.id];
    case 'channels':
      return [used, step.id];
  }
}
