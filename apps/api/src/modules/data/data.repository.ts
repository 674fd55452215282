import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { QuotaDataView } from '@your-api/contracts';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { QuotaDataEntity } from '../../database/entities';
import { UsageBucket, UsageStore, UsageWriter } from './usage-rollup';

export interface QuotaDataRange {
  start: number;
  end: number;
}

function toView(row: QuotaDataEntity): QuotaDataView {
  return {
    id: row.id,
    user_id: row.user_id,
    username: row.username,
    model_name: row.model_name,
    created_at: row.created_at,
    token_used: row.token_used,
    count: row.count,
    quota: row.quota,
  };
}

/** Queries on `quota_data` and the transactional upsert used by the hourly rollup. */
@Injectable()
export class DataRepository implements UsageStore {
  constructor(
    @InjectRepository(QuotaDataEntity) private readonly quotaData: Repository<QuotaDataEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Rows of one user in the range, oldest first. */
  async listForUser(userId: number, range: QuotaDataRange): Promise<QuotaDataView[]> {
    const rows = await this.inRange(range).andWhere('qd.user_id = :userId', { userId }).getMany();
    return rows.map(toView);
  }

  /** Rows of one username in the range, oldest first. */
  async listForUsername(username: string, range: QuotaDataRange): Promise<QuotaDataView[]> {
    const rows = await this.inRange(range).andWhere('qd.username = :username', { username }).getMany();
    return rows.map(toView);
  }

  /** All users summed per (model, hour), as New API's dashboard shows them (id, user_id 0, username ''). */
  async listSummedByModel(range: QuotaDataRange): Promise<QuotaDataView[]> {
    const rows = await this.quotaData
      .createQueryBuilder('qd')
      .select('qd.model_name', 'model_name')
      .addSelect('qd.created_at', 'created_at')
      .addSelect('SUM(qd.token_used)', 'token_used')
      .addSelect('SUM(qd.count)', 'count')
      .addSelect('SUM(qd.quota)', 'quota')
      .where('qd.created_at >= :start AND qd.created_at <= :end', { start: range.start, end: range.end })
      .groupBy('qd.model_name')
      .addGroupBy('qd.created_at')
      .orderBy('qd.created_at', 'ASC')
      .addOrderBy('qd.model_name', 'ASC')
      .getRawMany<Record<'model_name' | 'created_at' | 'token_used' | 'count' | 'quota', string | number>>();
    return rows.map((row) => ({
      id: 0,
      user_id: 0,
      username: '',
      model_name: String(row.model_name),
      created_at: Number(row.created_at),
      token_used: Number(row.token_used),
      count: Number(row.count),
      quota: Number(row.quota),
    }));
  }

  transaction(work: (writer: UsageWriter) => Promise<void>): Promise<void> {
    return this.dataSource.transaction((manager) => work(this.writerFor(manager)));
  }

  private writerFor(manager: EntityManager): UsageWriter {
    const column = (name: string) => this.dataSource.driver.escape(name);
    return {
      addToExisting: async (bucket: UsageBucket) => {
        const result = await manager
          .createQueryBuilder()
          .update(QuotaDataEntity)
          .set({
            count: () => `${column('count')} + :addCount`,
            quota: () => `${column('quota')} + :addQuota`,
            token_used: () => `${column('token_used')} + :addTokens`,
          })
          .where('user_id = :userId AND username = :username AND model_name = :modelName AND created_at = :createdAt', {
            userId: bucket.userId,
            username: bucket.username,
            modelName: bucket.modelName,
            createdAt: bucket.createdAt,
          })
          .setParameters({ addCount: bucket.count, addQuota: bucket.quota, addTokens: bucket.tokenUsed })
          .execute();
        return (result.affected ?? 0) > 0;
      },
      insert: async (bucket: UsageBucket) => {
        await manager.insert(QuotaDataEntity, {
          user_id: bucket.userId,
          username: bucket.username,
          model_name: bucket.modelName,
          created_at: bucket.createdAt,
          count: bucket.count,
          quota: bucket.quota,
          token_used: bucket.tokenUsed,
        });
      },
    };
  }

  private inRange(range: QuotaDataRange) {
    return this.quotaData
      .createQueryBuilder('qd')
      .where('qd.created_at >= :start AND qd.created_at <= :end', { start: range.start, end: range.end })
      .orderBy('qd.created_at', 'ASC')
      .addOrderBy('qd.id', 'ASC');
  }
}
