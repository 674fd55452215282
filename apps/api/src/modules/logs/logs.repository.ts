import { Inject, Injectable } from '@nestjs/common';
import { LogType } from '@your-api/contracts';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { LOG_REPOSITORY } from '../../database/database.module';
import { LogEntity } from '../../database/entities';

/** Filters of the log lists and stats; an absent (or 0 / '') field does not filter. */
export interface LogFilter {
  userId?: number;
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

/** Rows per DELETE when pruning old logs: short statements keep the table usable meanwhile. */
const DELETE_CHUNK = 500;

/**
 * Queries on `logs`. The table may live in its own database (LOG_SQL_DSN), so nothing here joins
 * it to another table: names are denormalised onto the row when it is written.
 */
@Injectable()
export class LogsRepository {
  constructor(@Inject(LOG_REPOSITORY) private readonly logs: Repository<LogEntity>) {}

  /** One multi-row INSERT. */
  async insertMany(rows: Partial<LogEntity>[]): Promise<void> {
    if (rows.length === 0) return;
    await this.logs.createQueryBuilder().insert().into(LogEntity).values(rows).updateEntity(false).execute();
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
