import { Inject, Injectable } from '@nestjs/common';
import { LogType } from '@your-api/contracts';
import type BetterSqlite3 from 'better-sqlite3';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { LOG_REPOSITORY } from '../../database/database.module';
import { LogEntity } from '../../database/entities';
import { ServerSql, sqliteConnectionOf } from '../../database/raw-sql';
import { SqliteWriteBatch } from '../../database/sqlite-write-batch';

/** Filters of the log lists and stats; an absent (or 0 / '') field does not filter. */
export interface LogFilter {
  userId?: number;
  /** The API key the logs were written for (the token-key read route). */
  tokenId?: number;
  type?: number;
  startTimestamp?: number;
  endTimestamp?: number;
  username?: string;
  tokenName?: string;
  /** Matched with LIKE, as New API does (callers may use % wildcards). */
  modelName?: string;
  channelId?: number;
  group?: string;
  requestId?: string;
}

/** Columns a log row is written with (`id` is generated). */
const INSERT_COLUMNS = [
  'user_id',
  'created_at',
  'type',
  'content',
  'username',
  'token_name',
  'model_name',
  'quota',
  'prompt_tokens',
  'completion_tokens',
  'use_time',
  'is_stream',
  'channel_id',
  'token_id',
  'group',
  'request_id',
  'other',
] as const satisfies readonly (keyof LogEntity)[];

/** A row's values in INSERT_COLUMNS order, with the entity's defaults; SQLite binds booleans as 0/1. */
function insertValues(row: Partial<LogEntity>, sqlite: boolean): unknown[] {
  const isStream = row.is_stream ?? false;
  return [
    row.user_id ?? 0,
    row.created_at ?? Math.floor(Date.now() / 1000),
    row.type ?? 0,
    row.content ?? null,
    row.username ?? '',
    row.token_name ?? '',
    row.model_name ?? '',
    row.quota ?? 0,
    row.prompt_tokens ?? 0,
    row.completion_tokens ?? 0,
    row.use_time ?? 0,
    sqlite ? (isStream ? 1 : 0) : isStream,
    row.channel_id ?? 0,
    row.token_id ?? 0,
    row.group ?? '',
    row.request_id ?? '',
    row.other ?? null,
  ];
}

/** Rows per DELETE when pruning old logs: short statements keep the table usable meanwhile. */
const DELETE_CHUNK = 500;

/**
 * Queries on `logs`. The table may live in its own database (LOG_SQL_DSN), so nothing here joins
 * it to another table: names are denormalised onto the row when it is written.
 */
@Injectable()
export class LogsRepository {
  private readonly insertSql: string;
  private readonly sqlite: { db: BetterSqlite3.Database; writer: SqliteWriteBatch } | null;
  /** Prepared on first use: a node that does not migrate may start before the table exists. */
  private sqliteInsert: BetterSqlite3.Statement | null = null;
  private readonly server: ServerSql | null;

  constructor(@Inject(LOG_REPOSITORY) private readonly logs: Repository<LogEntity>) {
    const dataSource = logs.manager.connection;
    const columns = INSERT_COLUMNS.map((column) => dataSource.driver.escape(column)).join(', ');
    this.insertSql = `INSERT INTO ${dataSource.driver.escape('logs')} (${columns}) VALUES `;
    const db = sqliteConnectionOf(dataSource);
    this.sqlite = db ? { db, writer: SqliteWriteBatch.of(db) } : null;
    this.server = db ? null : new ServerSql(dataSource);
  }

  /**
   * Writes rows all or nothing: on SQLite one prepared INSERT per row inside one transaction (the
   * connection's shared writer), elsewhere one multi-row INSERT.
   */
  async insertMany(rows: Partial<LogEntity>[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.sqlite) {
      const { db, writer } = this.sqlite;
      const insert = (this.sqliteInsert ??= db.prepare(`${this.insertSql}(${INSERT_COLUMNS.map(() => '?').join(', ')})`));
      const values = rows.map((row) => insertValues(row, true));
      await writer.run(() => {
        for (const value of values) insert.run(value);
      }, true);
      return;
    }
    const placeholders = `(${INSERT_COLUMNS.map(() => '?').join(', ')})`;
    await this.server!.run(this.insertSql + rows.map(() => placeholders).join(', '), rows.flatMap((row) => insertValues(row, false)));
  }

  /** A page of logs, newest (highest id) first, and the number of all matching rows. */
  async page(filter: LogFilter, offset: number, limit: number): Promise<{ rows: LogEntity[]; total: number }> {
    const query = this.filtered(filter).orderBy('logs.id', 'DESC').skip(offset).take(limit);
    const [rows, total] = await query.getManyAndCount();
    return { rows, total };
  }

  /** Newest logs whose type equals a numeric keyword or whose content starts with the keyword. */
  async search(keyword: string, limit: number, userId?: number): Promise<LogEntity[]> {
    const query = this.logs.createQueryBuilder('logs');
    if (userId !== undefined) query.where('logs.user_id = :userId', { userId });
    const prefix = `${keyword}%`;
    // A text parameter compared with the integer `type` fails on PostgreSQL: only numbers try it.
    if (/^\d{1,9}$/.test(keyword)) {
      query.andWhere('(logs.type = :type OR logs.content LIKE :prefix)', { type: Number(keyword), prefix });
    } else {
      query.andWhere('logs.content LIKE :prefix', { prefix });
    }
    return query.orderBy('logs.id', 'DESC').take(limit).getMany();
  }

  /** Sum of `quota` of consume logs matching the filter (its `type` is ignored, as in New API). */
  async sumConsumedQuota(filter: LogFilter): Promise<number> {
    const raw = await this.filtered({ ...filter, type: LogType.Consume })
      .select('COALESCE(SUM(logs.quota), 0)', 'quota')
      .getRawOne<{ quota: string | number | null }>();
    return Number(raw?.quota ?? 0);
  }

  /** Count and token total of consume logs since `since` (the filter's own time range is ignored). */
  async consumeRateSince(filter: LogFilter, since: number): Promise<{ requests: number; tokens: number }> {
    const raw = await this.filtered({ ...filter, type: LogType.Consume, startTimestamp: since, endTimestamp: undefined })
      .select('COUNT(*)', 'requests')
      .addSelect('COALESCE(SUM(logs.prompt_tokens), 0) + COALESCE(SUM(logs.completion_tokens), 0)', 'tokens')
      .getRawOne<{ requests: string | number | null; tokens: string | number | null }>();
    return { requests: Number(raw?.requests ?? 0), tokens: Number(raw?.tokens ?? 0) };
  }

  /** Deletes logs created before `timestamp`, chunk by chunk; returns how many went. */
  async deleteCreatedBefore(timestamp: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const ids = await this.logs
        .createQueryBuilder('logs')
        .select('logs.id', 'id')
        .where('logs.created_at < :timestamp', { timestamp })
        .orderBy('logs.id', 'ASC')
        .limit(DELETE_CHUNK)
        .getRawMany<{ id: number | string }>();
      if (ids.length === 0) return deleted;
      const result = await this.logs.delete(ids.map((row) => Number(row.id)));
      deleted += result.affected ?? ids.length;
      if (ids.length < DELETE_CHUNK) return deleted;
    }
  }

  private filtered(filter: LogFilter): SelectQueryBuilder<LogEntity> {
    const query = this.logs.createQueryBuilder('logs');
    if (filter.userId !== undefined) query.andWhere('logs.user_id = :userId', { userId: filter.userId });
    if (filter.tokenId !== undefined) query.andWhere('logs.token_id = :tokenId', { tokenId: filter.tokenId });
    if (filter.type) query.andWhere('logs.type = :type', { type: filter.type });
    if (filter.startTimestamp) query.andWhere('logs.created_at >= :start', { start: filter.startTimestamp });
    if (filter.endTimestamp) query.andWhere('logs.created_at <= :end', { end: filter.endTimestamp });
    if (filter.username) query.andWhere('logs.username = :username', { username: filter.username });
    if (filter.tokenName) query.andWhere('logs.token_name = :tokenName', { tokenName: filter.tokenName });
    if (filter.modelName) query.andWhere('logs.model_name LIKE :modelName', { modelName: filter.modelName });
    if (filter.channelId) query.andWhere('logs.channel_id = :channelId', { channelId: filter.channelId });
    if (filter.group) query.andWhere('logs.group = :group', { group: filter.group });
    if (filter.requestId) query.andWhere('logs.request_id = :requestId', { requestId: filter.requestId });
    return query;
  }
}
