import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { TopUpStatus } from '@your-api/contracts';
import type BetterSqlite3 from 'better-sqlite3';
import { Brackets, DataSource, Repository } from 'typeorm';
import type { PageRequest } from '../../common/paging';
import { LogEntity, TopUpEntity, UserEntity } from '../../database/entities';
import { sqliteConnectionOf, sqliteInsertRow, SqliteStatements } from '../../database/raw-sql';
import { SqliteWriteBatch } from '../../database/sqlite-write-batch';
import { escapeLike } from '../users/user-rules';

/** What a credit needs to know of the order it completed. */
export interface CompletedOrder {
  id: number;
  user_id: number;
  amount: number;
  money: number;
  trade_no: string;
  payment_provider: string;
}

/** How to complete one order: the quota it is worth and, optionally, its log row (same transaction). */
export interface Completion {
  tradeNo: string;
  now: number;
  /** Recorded as the order's `payment_method` (EPay: the type actually paid with); undefined keeps it. */
  paymentMethod?: string;
  quotaOf: (order: CompletedOrder) => number;
  logRow: ((order: CompletedOrder, quota: number) => Partial<LogEntity>) | null;
}

/** The order's user is gone: nothing was changed (the order stays pending). */
export class PayerMissingError extends Error {
  constructor(readonly userId: number) {
    super(`user ${userId} does not exist`);
  }
}

/**
 * Queries on `top_ups`, and the credit of a paid order as one unit: the guarded status change
 * pending → success, the user's quota and the top-up log row.
 */
@Injectable()
export class PaymentsRepository {
  /** SQLite only: the credit's prepared statements, prepared on first use. */
  private sqliteStatements: SqliteStatements | null = null;

  constructor(
    @InjectRepository(TopUpEntity) private readonly orders: Repository<TopUpEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async insert(order: Partial<TopUpEntity>): Promise<void> {
    await this.orders.insert(order);
  }

  findByTradeNo(tradeNo: string): Promise<TopUpEntity | null> {
    if (!tradeNo || tradeNo.length > 255) return Promise.resolve(null);
    return this.orders.findOne({ where: { trade_no: tradeNo } });
  }

  /** Newest first; `userId` limits to one user's orders; a keyword matches the start of the trade number. */
  list(page: PageRequest, filter: { userId?: number; keyword?: string }): Promise<[TopUpEntity[], number]> {
    const query = this.orders.createQueryBuilder('top_up');
    if (filter.userId !== undefined) query.andWhere('top_up.user_id = :userId', { userId: filter.userId });
    if (filter.keyword) {
      query.andWhere(new Brackets((where) => where.where("top_up.trade_no LIKE :prefix ESCAPE '!'", { prefix: `${escapeLike(filter.keyword ?? '')}%` })));
    }
    return query.orderBy('top_up.id', 'DESC').skip(page.offset).take(page.pageSize).getManyAndCount();
  }

  /** pending → `status` (failed/expired); false when the order is not pending (already settled). */
  async closePending(tradeNo: string, status: TopUpStatus, now: number): Promise<boolean> {
    const result = await this.orders
      .createQueryBuilder()
      .update(TopUpEntity)
      .set({ status, complete_time: now })
      .where('trade_no = :tradeNo', { tradeNo })
      .andWhere('status = :pending', { pending: TopUpStatus.Pending })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * Completes a pending order and credits its user, as one atomic unit; resolves with the order and
   * the quota credited, or null when the order was not pending (nothing changed). Rejects with
   * PayerMissingError (nothing changed) when the user is gone.
   *
   * The guarded UPDATE decides, as in RedemptionsRepository.redeem: it marks the order paid only if
   * it is pending at that instant, and a concurrent second UPDATE waits for the row lock and then no
   * longer matches, so one notification credits however many arrive, on however many nodes.
   * MySQL/PostgreSQL: a TypeORM transaction. SQLite: one synchronous unit in SqliteWriteBatch.
   */
  complete(completion: Completion): Promise<{ order: CompletedOrder; quota: number } | null> {
    const db = sqliteConnectionOf(this.dataSource);
    if (db) return this.completeOnSqlite(db, completion);
    const { tradeNo, now, paymentMethod } = completion;
    return this.dataSource.transaction(async (manager) => {
      const set: Partial<TopUpEntity> = { status: TopUpStatus.Success, complete_time: now };
      if (paymentMethod !== undefined) set.payment_method = paymentMethod;
      const claimed = await manager
        .createQueryBuilder()
        .update(TopUpEntity)
        .set(set)
        .where('trade_no = :tradeNo', { tradeNo })
        .andWhere('status = :pending', { pending: TopUpStatus.Pending })
        .execute();
      if (claimed.affected !== 1) return null;
      const row = await manager.findOne(TopUpEntity, { where: { trade_no: tradeNo } });
      if (!row) throw new Error(`top-up ${tradeNo} vanished after it was completed`);
      const order = toCompletedOrder(row);
      const quota = completion.quotaOf(order);
      const credited = await manager
        .createQueryBuilder()
        .update(UserEntity)
        .set({ quota: () => 'quota + :amount' })
        .where('id = :userId AND deleted_at IS NULL', { userId: order.user_id, amount: quota })
        .execute();
      if (credited.affected !== 1) throw new PayerMissingError(order.user_id);
      if (completion.logRow) await manager.insert(LogEntity, completion.logRow(order, quota));
      return { order, quota };
    });
  }

  private completeOnSqlite(db: BetterSqlite3.Database, completion: Completion): Promise<{ order: CompletedOrder; quota: number } | null> {
    const statements = (this.sqliteStatements ??= new SqliteStatements(db));
    const { tradeNo, now, paymentMethod } = completion;
    const escape = (name: string) => this.dataSource.driver.escape(name);
    // Runs inside the writer's transaction; may run twice (see SqliteWriteBatch), so it only touches the database.
    return SqliteWriteBatch.of(db).run(() => {
      const claim =
        paymentMethod === undefined
          ? statements
              .get('UPDATE top_ups SET status = ?, complete_time = ? WHERE trade_no = ? AND status = ?')
              .run(TopUpStatus.Success, now, tradeNo, TopUpStatus.Pending)
          : statements
              .get('UPDATE top_ups SET status = ?, complete_time = ?, payment_method = ? WHERE trade_no = ? AND status = ?')
              .run(TopUpStatus.Success, now, paymentMethod, tradeNo, TopUpStatus.Pending);
      if (claim.changes !== 1) return null;
      const row = statements
        .get('SELECT id, user_id, amount, money, trade_no, payment_provider FROM top_ups WHERE trade_no = ?')
        .get(tradeNo) as Record<string, unknown> | undefined;
      if (!row) throw new Error(`top-up ${tradeNo} vanished after it was completed`);
      const order = toCompletedOrder(row);
      const quota = completion.quotaOf(order);
      const credit = statements.get('UPDATE users SET quota = quota + ? WHERE id = ? AND deleted_at IS NULL').run(quota, order.user_id);
      if (credit.changes !== 1) throw new PayerMissingError(order.user_id);
      if (completion.logRow) sqliteInsertRow(statements, escape, 'logs', completion.logRow(order, quota));
      return { order, quota };
    });
  }
}

function toCompletedOrder(row: Partial<TopUpEntity> | Record<string, unknown>): CompletedOrder {
  const r = row as Record<string, unknown>;
  return {
    id: Number(r.id),
    user_id: Number(r.user_id),
    amount: Number(r.amount),
    money: Number(r.money),
    trade_no: String(r.trade_no),
    payment_provider: String(r.payment_provider ?? ''),
  };
}
