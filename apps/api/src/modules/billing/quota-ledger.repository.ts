import { BeforeApplicationShutdown, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ServerSql, sqliteConnectionOf, SqliteStatements } from '../../database/raw-sql';
import { SqliteWriteBatch } from '../../database/sqlite-write-batch';
import { LedgerBatch, LedgerTable, PendingDeltas } from './ledger-batch';
import {
  LedgerPayer,
  LedgerProgram,
  refundProgram,
  ReserveOutcome,
  reserveProgram,
  settleProgram,
  stepParams,
  stepSql,
} from './ledger-program';

export interface BalanceSnapshot {
  tokenRemain: number;
  tokenUsed: number;
  userQuota: number;
  userUsed: number;
}

type Counted = { table: LedgerTable; id: number; deltas: PendingDeltas };

const TOKEN_BALANCE_SQL = 'SELECT remain_quota, used_quota FROM tokens WHERE id = ?';
const USER_BALANCE_SQL = 'SELECT quota, used_quota FROM users WHERE id = ?';
const BOTH_BALANCES_SQL =
  'SELECT t.remain_quota AS token_remain, t.used_quota AS token_used, u.quota AS user_quota, u.used_quota AS user_used ' +
  'FROM tokens t CROSS JOIN users u WHERE t.id = ? AND u.id = ?';

/**
 * The only place relay traffic moves quota. Every change is an atomic SQL UPDATE
 * (`quota = quota - ?`, guarded by `quota >= ?` where an overdraft must be impossible), never a
 * read-modify-write in JavaScript, so concurrent requests on one key, in one process or several
 * sharing the database, cannot overspend it. Balances are always read from the database.
 *
 * SQLite: prepared statements on TypeORM's connection, and the moves of all requests that reach
 * the ledger in one turn of the event loop are committed in one transaction (SqliteWriteBatch):
 * each request's moves stay atomic, the burst pays for one commit. MySQL/PostgreSQL: one raw
 * statement per step (they run off the event loop), a failed second step undone by an exact
 * compensating move.
 *
 * With BATCH_UPDATE_ENABLED, usage counters (used quota, request counts, unlimited tokens'
 * balances) are summed in memory and written every BATCH_UPDATE_INTERVAL seconds; balances that
 * admission reads (limited tokens, wallets) are always written at once.
 */
@Injectable()
export class QuotaLedgerRepository implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(QuotaLedgerRepository.name);
  private readonly batch: LedgerBatch | null;
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private sqlite: { statements: SqliteStatements; writer: SqliteWriteBatch } | null = null;
  private server: ServerSql | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    this.batch = config.env.BATCH_UPDATE_ENABLED ? new LedgerBatch() : null;
  }

  onModuleInit(): void {
    const db = sqliteConnectionOf(this.dataSource);
    if (db) this.sqlite = { statements: new SqliteStatements(db), writer: SqliteWriteBatch.of(db) };
    else this.server = new ServerSql(this.dataSource);
    if (!this.batch) return;
    this.timer = setInterval(() => void this.flush(), this.config.env.BATCH_UPDATE_INTERVAL * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Runs after every module's onModuleDestroy (the relay waits for its settlements there). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.sqlite?.writer.drain();
    await this.flush();
  }

  /** Writes the summed counters now. Failed rows stay pending for the next flush. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.batch || this.batch.size === 0) return;
      const entries = this.batch.drain();
      const results = await Promise.allSettled(
        entries.map((entry) => this.execute(() => moveProgram(entry.table, entry.id, entry.deltas), true)),
      );
      const failed = entries.filter((entry, i) => {
        const result = results[i];
        if (result.status === 'fulfilled') return false;
        this.logger.error(`batched quota update of ${entry.table} #${entry.id} failed: ${String(result.reason)}`);
        return true;
      });
      this.batch.restore(failed);
    });
    return this.flushing;
  }

  reserve(payer: LedgerPayer, amount: number): Promise<ReserveOutcome> {
    return this.execute(() => reserveProgram(payer, amount));
  }

  /** Settles a reservation at `actual`; resolves with the quota charged (see settleProgram). */
  settle(payer: LedgerPayer, reserved: number, actual: number, channelId: number): Promise<number> {
    return this.execute(() => settleProgram(payer, reserved, actual, channelId, this.batch !== null), true);
  }

  refund(payer: LedgerPayer, reserved: number): Promise<void> {
    return this.execute(() => refundProgram(payer, reserved));
  }

  /** Remaining and used quota of a token and of its user's wallet, read fresh. */
  async snapshot(tokenId: number, userId: number): Promise<BalanceSnapshot> {
    let token: { remain_quota: number; used_quota: number } | undefined;
    let user: { quota: number; used_quota: number } | undefined;
    if (this.sqlite) {
      const both = this.sqlite.statements.get(BOTH_BALANCES_SQL).get(tokenId, userId) as
        | { token_remain: number; token_used: number; user_quota: number; user_used: number }
        | undefined;
      if (both) return { tokenRemain: both.token_remain, tokenUsed: both.token_used, userQuota: both.user_quota, userUsed: both.user_used };
      token = this.sqlite.statements.get(TOKEN_BALANCE_SQL).get(tokenId) as typeof token;
      user = this.sqlite.statements.get(USER_BALANCE_SQL).get(userId) as typeof user;
    } else {
      const server = this.server!;
      const [tokens, users] = await Promise.all([
        server.all<{ remain_quota: number; used_quota: number }>(TOKEN_BALANCE_SQL, [tokenId]),
        server.all<{ quota: number; used_quota: number }>(USER_BALANCE_SQL, [userId]),
      ]);
      token = tokens[0];
      user = users[0];
    }
    return {
      tokenRemain: Number(token?.remain_quota ?? 0),
      tokenUsed: Number(token?.used_quota ?? 0),
      userQuota: Number(user?.quota ?? 0),
      userUsed: Number(user?.used_quota ?? 0),
    };
  }

  /** Current remaining quota of a token and its user's wallet (for capping a request to what it can pay). */
  async balances(tokenId: number, userId: number): Promise<{ token: number; user: number }> {
    const snapshot = await this.snapshot(tokenId, userId);
    return { token: snapshot.tokenRemain, user: snapshot.userQuota };
  }

  /**
   * Runs a program atomically (SQLite: inside the writer's transaction, started afresh if that is
   * retried) or step by step (server databases), then hands its usage counters to the batch.
   * `behindResponse`: nobody waits for it (settlement, refund), so SQLite may commit it a few
   * milliseconds later together with other writes.
   */
  private async execute<T>(start: () => LedgerProgram<T>, behindResponse = false): Promise<T> {
    const deferCounts = this.batch !== null;
    let result: { value: T; counted: Counted[] };
    if (this.sqlite) {
      const { statements, writer } = this.sqlite;
      result = await writer.run(() => {
        const counted: Counted[] = [];
        const program = start();
        let next = program.next();
        while (!next.done) {
          const step = next.value;
          if (step.kind === 'count' && deferCounts) {
            counted.push(step);
            next = program.next(true);
          } else {
            next = program.next(statements.get(stepSql(step)).run(...stepParams(step)).changes > 0);
          }
        }
        return { value: next.value, counted };
      }, behindResponse);
    } else {
      const server = this.server!;
      const counted: Counted[] = [];
      const program = start();
      let next = program.next();
      while (!next.done) {
        const step = next.value;
        if (step.kind === 'count' && deferCounts) {
          counted.push(step);
          next = program.next(true);
        } else {
          next = program.next((await server.run(stepSql(step), stepParams(step))) > 0);
        }
      }
      result = { value: next.value, counted };
    }
    for (const { table, id, deltas } of result.counted) this.batch!.add(table, id, deltas.quota, deltas.used, deltas.requests);
    return result.value;
  }
}

function* moveProgram(table: LedgerTable, id: number, deltas: PendingDeltas): LedgerProgram<void> {
  yield { kind: 'move', table, id, deltas };
}
