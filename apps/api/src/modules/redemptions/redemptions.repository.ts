import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { RedemptionStatus } from '@your-api/contracts';
import type BetterSqlite3 from 'better-sqlite3';
import { Brackets, DataSource, Repository } from 'typeorm';
import type { PageRequest } from '../../common/paging';
import { LogEntity, RedemptionEntity, UserEntity } from '../../database/entities';
import { sqliteConnectionOf, sqliteInsertRow, SqliteStatements } from '../../database/raw-sql';
import { SqliteWriteBatch } from '../../database/sqlite-write-batch';
import { escapeLike } from '../users/user-rules';
import { REDEMPTION_KEY_LENGTH } from './redemption-rules';

/** The fields a redeem needs of the code it claimed. */
export interface ClaimedCode {
  id: number;
  quota: number;
}

/** A redeem found no (live) user to credit; nothing was changed. */
export class RedeemerMissingError extends Error {
  constructor(readonly userId: number) {
    super(`user ${userId} does not exist`);
  }
}

/** Queries on `redemptions` (soft-deleted rows are invisible), and the redeem: claim, credit and log as one unit. */
@Injectable()
export class RedemptionsRepository {
  /** SQLite only: the redeem's prepared statements, prepared on first use. */
  private sqliteStatements: SqliteStatements | null = null;

  constructor(
    @InjectRepository(RedemptionEntity) private readonly codes: Repository<RedemptionEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** `key` is a reserved word in MySQL: quoted the way the connected database wants it. */
  private get keyColumn(): string {
    return this.dataSource.driver.escape('key');
  }

  /**
   * Newest first. A keyword matches the start of the name (wildcards taken literally), the id when
   * it is a number, and a whole key exactly (New API SearchRedemptions, plus the key).
   */
  list(page: PageRequest, keyword = ''): Promise<[RedemptionEntity[], number]> {
    const query = this.codes.createQueryBuilder('code');
    if (keyword) {
      query.where(
        new Brackets((where) => {
          where.where("code.name LIKE :prefix ESCAPE '!'", { prefix: `${escapeLike(keyword)}%` });
          if (/^\d{1,9}$/.test(keyword)) where.orWhere('code.id = :id', { id: Number(keyword) });
          if (/^[0-9a-zA-Z]{32}$/.test(keyword)) where.orWhere(`code.${this.keyColumn} = :key`, { key: keyword });
        }),
      );
    }
    return query.orderBy('code.id', 'DESC').skip(page.offset).take(page.pageSize).getManyAndCount();
  }

  findById(id: number): Promise<RedemptionEntity | null> {
    return this.codes.findOne({ where: { id } });
  }

  findByKey(key: string): Promise<RedemptionEntity | null> {
    if (key.length > REDEMPTION_KEY_LENGTH) return Promise.resolve(null);
    return this.codes.findOne({ where: { key } });
  }

  /** All rows in one INSERT statement, so a batch is stored whole or not at all. */
  async insertMany(rows: Partial<RedemptionEntity>[]): Promise<void> {
    await this.codes.createQueryBuilder().insert().into(RedemptionEntity).values(rows).updateEntity(false).execute();
  }

  async update(id: number, patch: Partial<RedemptionEntity>): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.codes.update({ id }, patch);
  }

  /**
   * Sets the status of a code that is not used; false when it is used (or gone). Guarded in SQL so
   * a code redeemed a moment ago is never switched back on.
   */
  async setStatusUnlessUsed(id: number, status: number): Promise<boolean> {
    const result = await this.codes
      .createQueryBuilder()
      .update(RedemptionEntity)
      .set({ status })
      .where('id = :id', { id })
      .andWhere('status <> :used', { used: RedemptionStatus.Used })
      .andWhere('deleted_at IS NULL')
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async softDelete(id: number): Promise<boolean> {
    const result = await this.codes.softDelete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** Soft-deletes used, disabled and expired codes; returns how many. */
  async softDeleteInvalid(now: number): Promise<number> {
    const result = await this.codes
      .createQueryBuilder()
      .softDelete()
      .where(
        new Brackets((where) =>
          where
            .where('status IN (:...spent)', { spent: [RedemptionStatus.Used, RedemptionStatus.Disabled] })
            .orWhere('(status = :enabled AND expired_time <> 0 AND expired_time <= :now)', { enabled: RedemptionStatus.Enabled, now }),
        ),
      )
      .execute();
    return result.affected ?? 0;
  }

  /**
   * Redeems a code for a user as one atomic unit: claim it, credit its quota to the user and, with
   * `logRow`, write the top-up log row. Resolves with the code's id and quota, or null when it
   * could not be claimed (nothing changed); rejects with RedeemerMissingError (nothing changed)
   * when the user is gone.
   *
   * The claim decides: one UPDATE that marks the code used only if, at that instant, it is enabled,
   * not deleted and not expired. The database evaluates the guard and the change as one statement
   * (a concurrent second UPDATE waits for the row lock and then no longer matches), so exactly one
   * caller ever claims a key, whatever the number of requests or nodes.
   *
   * MySQL/PostgreSQL: a TypeORM transaction. SQLite: TypeORM shares one connection between all
   * requests, so no transaction may stay open across awaits there; the unit runs synchronously in
   * the connection's shared writer (SqliteWriteBatch), in one IMMEDIATE transaction.
   */
  redeem(key: string, userId: number, now: number, logRow: ((code: ClaimedCode) => Partial<LogEntity>) | null): Promise<ClaimedCode | null> {
    if (key.length > REDEMPTION_KEY_LENGTH) return Promise.resolve(null);
    const db = sqliteConnectionOf(this.dataSource);
    if (db) return this.redeemOnSqlite(db, key, userId, now, logRow);
    return this.dataSource.transaction(async (manager) => {
      const claimed = await manager
        .createQueryBuilder()
        .update(RedemptionEntity)
        .set({ status: RedemptionStatus.Used, used_user_id: userId, redeemed_time: now })
        .where(`${this.keyColumn} = :key`, { key })
        .andWhere('status = :enabled', { enabled: RedemptionStatus.Enabled })
        .andWhere('deleted_at IS NULL')
        .andWhere('(expired_time = 0 OR expired_time > :now)', { now })
        .execute();
      if (claimed.affected !== 1) return null;
      // Ours now, and locked until commit.
      const row = await manager.findOne(RedemptionEntity, { where: { key }, select: { id: true, quota: true } });
      if (!row) throw new Error(`redemption code vanished after user ${userId} claimed it`);
      const code: ClaimedCode = { id: row.id, quota: row.quota };
      const credited = await manager
        .createQueryBuilder()
        .update(UserEntity)
        .set({ quota: () => 'quota + :amount' })
        .where('id = :userId AND deleted_at IS NULL', { userId, amount: code.quota })
        .execute();
      if (credited.affected !== 1) throw new RedeemerMissingError(userId);
      if (logRow) await manager.insert(LogEntity, logRow(code));
      return code;
    });
  }

  private redeemOnSqlite(
    db: BetterSqlite3.Database,
    key: string,
    userId: number,
    now: number,
    logRow: ((code: ClaimedCode) => Partial<LogEntity>) | null,
  ): Promise<ClaimedCode | null> {
    const statements = (this.sqliteStatements ??= new SqliteStatements(db));
    const keyColumn = this.keyColumn;
    // Runs inside the writer's transaction; may run twice (see SqliteWriteBatch), so it only touches the database.
    return SqliteWriteBatch.of(db).run(() => {
      const claim = statements
        .get(
          `UPDATE redemptions SET status = ?, used_user_id = ?, redeemed_time = ? ` +
            `WHERE ${keyColumn} = ? AND status = ? AND deleted_at IS NULL AND (expired_time = 0 OR expired_time > ?)`,
        )
        .run(RedemptionStatus.Used, userId, now, key, RedemptionStatus.Enabled, now);
      if (claim.changes !== 1) return null;
      const row = statements.get(`SELECT id, quota FROM redemptions WHERE ${keyColumn} = ?`).get(key) as { id: number; quota: number } | undefined;
      if (!row) throw new Error(`redemption code vanished after user ${userId} claimed it`);
      const code: ClaimedCode = { id: Number(row.id), quota: Number(row.quota) };
      const credit = statements.get('UPDATE users SET quota = quota + ? WHERE id = ? AND deleted_at IS NULL').run(code.quota, userId);
      if (credit.changes !== 1) throw new RedeemerMissingError(userId);
      if (logRow) sqliteInsertRow(statements, (name) => this.dataSource.driver.escape(name), 'logs', logRow(code));
      return code;
    });
  }
}
