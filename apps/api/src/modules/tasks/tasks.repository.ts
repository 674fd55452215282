import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type BetterSqlite3 from 'better-sqlite3';
import { DataSource, In, Not, Repository, SelectQueryBuilder } from 'typeorm';
import type { PageRequest } from '../../common/paging';
import { LogEntity, MidjourneyEntity, TaskEntity } from '../../database/entities';
import { sqliteConnectionOf, SqliteStatements } from '../../database/raw-sql';
import { SqliteWriteBatch } from '../../database/sqlite-write-batch';
import { MjRow, MjRowFields, PROGRESS_DONE, TaskRow, TaskRowFields } from './task-rules';

export type TaskTable = 'midjourneys' | 'tasks';

/** Filters of the management lists (New API `GetAllUserMidjourney` / `GetAllTask`). */
export interface TaskListFilter {
  userId?: number;
  channelId?: number;
  /** mj_id (midjourneys) or task_id (tasks). */
  taskId?: string;
  platform?: string;
  status?: string;
  action?: string;
  /** Seconds; compared with submit_time (ms for midjourneys). */
  startTimestamp?: number;
  endTimestamp?: number;
}

export interface RefundCredit {
  userId: number;
  quota: number;
  /** The API key the task was paid through, credited back too (0 = none). */
  tokenId: number;
  /** The refund log row, written in the same transaction; null when logs live in another database. */
  logRow: Partial<LogEntity> | null;
}

const MJ_COLUMNS = new Set([
  'code', 'user_id', 'action', 'mj_id', 'prompt', 'prompt_en', 'description', 'state', 'submit_time', 'start_time',
  'finish_time', 'image_url', 'status', 'progress', 'fail_reason', 'channel_id', 'quota', 'buttons', 'properties',
]);
const TASK_COLUMNS = new Set([
  'updated_at', 'task_id', 'platform', 'user_id', 'channel_id', 'quota', 'action', 'status', 'fail_reason', 'submit_time',
  'start_time', 'finish_time', 'progress', 'properties', 'data', 'private_data',
]);

/**
 * Queries of `midjourneys` and `tasks`. A task's failure is one atomic unit: the guarded status
 * change (`… WHERE status <> 'FAILURE' AND progress <> '100%'`), the wallet credit and the refund
 * log row commit together or not at all, and only the caller whose UPDATE changed the row credits
 * — so however many pollers (processes, replays) see the same failure, it is refunded once.
 */
@Injectable()
export class TasksRepository {
  private sqliteStatements: SqliteStatements | null = null;

  constructor(
    @InjectRepository(MidjourneyEntity) private readonly mj: Repository<MidjourneyEntity>,
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  // ------------------------------------------------------------------ midjourneys

  async insertMj(row: MjRowFields): Promise<number> {
    const result = await this.mj.insert(row as Partial<MidjourneyEntity>);
    return Number((result.identifiers[0] as { id: number }).id);
  }

  findMjByMjId(mjId: string, userId?: number): Promise<MjRow | null> {
    if (!mjId) return Promise.resolve(null);
    return this.mj.findOne({ where: userId === undefined ? { mj_id: mjId } : { mj_id: mjId, user_id: userId }, order: { id: 'DESC' } });
  }

  listMjByMjIds(userId: number, ids: string[]): Promise<MjRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.mj.find({ where: { user_id: userId, mj_id: In(ids.slice(0, 100)) }, order: { id: 'DESC' } });
  }

  listUnfinishedMj(limit = 1000): Promise<MjRow[]> {
    return this.mj.find({ where: { progress: Not(PROGRESS_DONE) }, order: { id: 'ASC' }, take: limit });
  }

  async pageMj(filter: TaskListFilter, page: PageRequest): Promise<[MjRow[], number]> {
    const query = this.mj.createQueryBuilder('m');
    if (filter.userId !== undefined) query.andWhere('m.user_id = :userId', { userId: filter.userId });
    if (filter.channelId) query.andWhere('m.channel_id = :channelId', { channelId: filter.channelId });
    if (filter.taskId) query.andWhere('m.mj_id = :taskId', { taskId: filter.taskId });
    if (filter.startTimestamp) query.andWhere('m.submit_time >= :start', { start: filter.startTimestamp * 1000 });
    if (filter.endTimestamp) query.andWhere('m.submit_time <= :end', { end: filter.endTimestamp * 1000 });
    return this.page(query, 'm', page);
  }

  // ------------------------------------------------------------------ tasks

  async insertTask(row: TaskRowFields & { created_at: number; updated_at: number }): Promise<number> {
    const result = await this.tasks.insert(row as Partial<TaskEntity>);
    return Number((result.identifiers[0] as { id: number }).id);
  }

  findTask(platform: string, taskId: string, userId: number): Promise<TaskRow | null> {
    return this.tasks.findOne({ where: { platform, task_id: taskId, user_id: userId }, order: { id: 'DESC' } });
  }

  listTasksByIds(platform: string, userId: number, ids: string[]): Promise<TaskRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.tasks.find({ where: { platform, user_id: userId, task_id: In(ids.slice(0, 100)) }, order: { id: 'DESC' } });
  }

  listUnfinishedTasks(platform: string, limit = 1000): Promise<TaskRow[]> {
    return this.tasks.find({ where: { platform, progress: Not(PROGRESS_DONE) }, order: { id: 'ASC' }, take: limit });
  }

  async pageTasks(filter: TaskListFilter, page: PageRequest): Promise<[TaskRow[], number]> {
    const query = this.tasks.createQueryBuilder('t');
    if (filter.userId !== undefined) query.andWhere('t.user_id = :userId', { userId: filter.userId });
    if (filter.channelId) query.andWhere('t.channel_id = :channelId', { channelId: filter.channelId });
    if (filter.taskId) query.andWhere('t.task_id = :taskId', { taskId: filter.taskId });
    if (filter.platform) query.andWhere('t.platform = :platform', { platform: filter.platform });
    if (filter.status) query.andWhere('t.status = :status', { status: filter.status });
    if (filter.action) query.andWhere('t.action = :action', { action: filter.action });
    if (filter.startTimestamp) query.andWhere('t.submit_time >= :start', { start: filter.startTimestamp });
    if (filter.endTimestamp) query.andWhere('t.submit_time <= :end', { end: filter.endTimestamp });
    return this.page(query, 't', page);
  }

  // ------------------------------------------------------------------ both

  /** Writes a poll's fields unless the task already finished (a stale or replayed poll changes nothing). */
  async updateUnfinished(table: TaskTable, id: number, fields: MjRowFields | TaskRowFields): Promise<boolean> {
    const set = this.columnsOf(table, fields);
    if (Object.keys(set).length === 0) return false;
    const entity = table === 'midjourneys' ? MidjourneyEntity : TaskEntity;
    const result = await this.dataSource
      .createQueryBuilder()
      .update(entity)
      .set(set)
      .where('id = :id AND progress <> :done', { id, done: PROGRESS_DONE })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * Fails a task and credits its refund as one unit. Resolves true when this call made the
   * transition (and so credited), false when the task had already failed or finished.
   */
  failAndRefund(table: TaskTable, id: number, fields: MjRowFields | TaskRowFields, credit: RefundCredit | null): Promise<boolean> {
    const set = { ...this.columnsOf(table, fields), status: 'FAILURE', progress: PROGRESS_DONE };
    const entries = Object.entries(set).filter(([, value]) => value !== undefined);
    const guard = `id = ? AND status <> 'FAILURE' AND progress <> '${PROGRESS_DONE}'`;
    const updateSql = `UPDATE ${table} SET ${entries.map(([column]) => `${column} = ?`).join(', ')} WHERE ${guard}`;
    const updateParams = [...entries.map(([, value]) => value as unknown), id];
    const creditSql = 'UPDATE users SET quota = quota + ? WHERE id = ?';
    // The key's share, as New API's RefundTaskQuota (IncreaseTokenQuota): undoes what settling moved.
    const tokenSql = 'UPDATE tokens SET remain_quota = remain_quota + ?, used_quota = used_quota - ? WHERE id = ?';
    const db = sqliteConnectionOf(this.dataSource);
    if (db) return this.failOnSqlite(db, updateSql, updateParams, creditSql, tokenSql, credit);
    const postgres = this.dataSource.options.type === 'postgres';
    const dialect = (sql: string) => (postgres ? numbered(sql) : sql);
    return this.dataSource.transaction(async (manager) => {
      const runner = manager.queryRunner!;
      const changed = (await runner.query(dialect(updateSql), updateParams, true)) as { affected?: number | null };
      if ((changed.affected ?? 0) !== 1) return false;
      if (credit && credit.quota > 0) {
        await runner.query(dialect(creditSql), [credit.quota, credit.userId], true);
        if (credit.tokenId > 0) await runner.query(dialect(tokenSql), [credit.quota, credit.quota, credit.tokenId], true);
        if (credit.logRow) await manager.insert(LogEntity, credit.logRow);
      }
      return true;
    });
  }

  private failOnSqlite(
    db: BetterSqlite3.Database,
    updateSql: string,
    updateParams: unknown[],
    creditSql: string,
    tokenSql: string,
    credit: RefundCredit | null,
  ): Promise<boolean> {
    const statements = (this.sqliteStatements ??= new SqliteStatements(db));
    // Runs inside the writer's IMMEDIATE transaction; may run twice, so it only touches the database.
    return SqliteWriteBatch.of(db).run(() => {
      if (statements.get(updateSql).run(...updateParams).changes !== 1) return false;
      if (credit && credit.quota > 0) {
        statements.get(creditSql).run(credit.quota, credit.userId);
        if (credit.tokenId > 0) statements.get(tokenSql).run(credit.quota, credit.quota, credit.tokenId);
        if (credit.logRow) {
          const values = Object.entries(credit.logRow).filter(([, value]) => value !== undefined);
          const columns = values.map(([column]) => this.dataSource.driver.escape(column)).join(', ');
          statements
            .get(`INSERT INTO logs (${columns}) VALUES (${values.map(() => '?').join(', ')})`)
            .run(...values.map(([, value]) => (typeof value === 'boolean' ? Number(value) : value)));
        }
      }
      return true;
    });
  }

  private columnsOf(table: TaskTable, fields: MjRowFields | TaskRowFields): Record<string, string | number | null> {
    const allowed = table === 'midjourneys' ? MJ_COLUMNS : TASK_COLUMNS;
    const out: Record<string, string | number | null> = {};
    for (const [column, value] of Object.entries(fields)) {
      if (allowed.has(column) && value !== undefined) out[column] = value as string | number | null;
    }
    return out;
  }

  private async page<T extends object>(query: SelectQueryBuilder<T>, alias: string, page: PageRequest): Promise<[T[], number]> {
    return query.orderBy(`${alias}.id`, 'DESC').skip(page.offset).take(page.pageSize).getManyAndCount();
  }
}

/** `?` placeholders → `$1, $2, …` (PostgreSQL). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
