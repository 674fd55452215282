import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { ChannelStatus } from '@your-api/contracts';
import { Brackets, DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { PageRequest } from '../../common/paging';
import { AbilityEntity, ChannelEntity } from '../../database/entities';
import { AbilityRow, AbilitySource, abilityRowsOf, chunk } from './channel-rules';

/** Rows per INSERT into abilities (7 columns each: well under SQLite's bound-parameter limit). */
const ABILITY_INSERT_CHUNK = 50;
/** Ids per `IN (…)` list. */
const ID_CHUNK = 500;

export interface ChannelFilter {
  idSort?: boolean;
  /** 'enabled' = status 1; 'disabled' = any other status; a number = that status. */
  status?: 'enabled' | 'disabled' | number;
  type?: number;
  /** Channels with exactly this tag. */
  tag?: string;
  /** Search: id, name or base_url fragment, or a whole key. */
  keyword?: string;
  /** Search: channels serving this group (exact member of the CSV). */
  group?: string;
  /** Search: fragment of the models CSV. */
  model?: string;
}

/** The columns abilities need, read without the keys. */
const ABILITY_SOURCE_COLUMNS = { id: true, models: true, group: true, status: true, priority: true, weight: true, tag: true } as const;

function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

/**
 * Queries on `channels` and `abilities`. Writes take the EntityManager of the caller's transaction,
 * so a channel and its abilities always change together.
 */
@Injectable()
export class ChannelsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ChannelEntity) private readonly channels: Repository<ChannelEntity>,
    @InjectRepository(AbilityEntity) private readonly abilities: Repository<AbilityEntity>,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async list(filter: ChannelFilter, page: PageRequest): Promise<[ChannelEntity[], number]> {
    const query = this.filtered(filter);
    this.order(query, filter.idSort);
    return query.offset(page.offset).limit(page.pageSize).getManyAndCount();
  }

  /** Tag mode (New API): pages over distinct tags and returns every channel of the tags on the page. */
  async listByTagPage(filter: ChannelFilter, page: PageRequest): Promise<[ChannelEntity[], number]> {
    const tagged = () => this.filtered(filter).andWhere(`channel.tag IS NOT NULL AND channel.tag <> ''`);
    const countRow = await tagged().select('COUNT(DISTINCT channel.tag)', 'count').getRawOne<{ count: string | number }>();
    const tags = (
      await tagged()
        .select('DISTINCT channel.tag', 'tag')
        .orderBy('channel.tag', 'ASC')
        .offset(page.offset)
        .limit(page.pageSize)
        .getRawMany<{ tag: string }>()
    ).map((row) => row.tag);
    if (tags.length === 0) return [[], Number(countRow?.count ?? 0)];
    const query = this.filtered(filter).andWhere('channel.tag IN (:...tags)', { tags });
    this.order(query, filter.idSort);
    const rows = await query.getMany();
    const position = new Map(tags.map((tag, index) => [tag, index]));
    const sorted = rows
      .map((row, index) => ({ row, index }))
      .sort((a, b) => (position.get(a.row.tag ?? '') ?? 0) - (position.get(b.row.tag ?? '') ?? 0) || a.index - b.index)
      .map(({ row }) => row);
    return [sorted, Number(countRow?.count ?? 0)];
  }

  findById(id: number, manager?: EntityManager): Promise<ChannelEntity | null> {
    return (manager ?? this.dataSource.manager).findOne(ChannelEntity, { where: { id } });
  }

  async findByIds(ids: number[]): Promise<ChannelEntity[]> {
    const found: ChannelEntity[] = [];
    for (const part of chunk(ids, ID_CHUNK)) {
      found.push(...(await this.channels.createQueryBuilder('channel').where('channel.id IN (:...ids)', { ids: part }).getMany()));
    }
    return found;
  }

  /** Every channel, keys included, in id order (channel tests and balance refreshes). */
  findAll(): Promise<ChannelEntity[]> {
    return this.channels.find({ order: { id: 'ASC' } });
  }

  async findByTag(tag: string, manager?: EntityManager): Promise<ChannelEntity[]> {
    return (manager ?? this.dataSource.manager).find(ChannelEntity, { where: { tag }, order: { id: 'ASC' } });
  }

  async idsWhereStatusIn(statuses: number[], manager: EntityManager): Promise<number[]> {
    const rows = await manager
      .createQueryBuilder(ChannelEntity, 'channel')
      .select('channel.id', 'id')
      .where('channel.status IN (:...statuses)', { statuses })
      .getRawMany<{ id: number | string }>();
    return rows.map((row) => Number(row.id));
  }

  async existingIds(ids: number[], manager: EntityManager): Promise<number[]> {
    const found: number[] = [];
    for (const part of chunk(ids, ID_CHUNK)) {
      const rows = await manager
        .createQueryBuilder(ChannelEntity, 'channel')
        .select('channel.id', 'id')
        .where('channel.id IN (:...ids)', { ids: part })
        .getRawMany<{ id: number | string }>();
      found.push(...rows.map((row) => Number(row.id)));
    }
    return found;
  }

  /** Every channel's ability columns (for rebuilding the whole table). */
  allAbilitySources(manager: EntityManager): Promise<AbilitySource[]> {
    return manager.find(ChannelEntity, { select: ABILITY_SOURCE_COLUMNS, order: { id: 'ASC' } });
  }

  async insertChannel(manager: EntityManager, row: Partial<ChannelEntity>): Promise<ChannelEntity> {
    return manager.save(manager.create(ChannelEntity, row));
  }

  async updateChannel(manager: EntityManager, id: number, patch: Partial<ChannelEntity>): Promise<void> {
    if (Object.keys(patch).length > 0) await manager.update(ChannelEntity, { id }, patch);
  }

  async updateChannels(manager: EntityManager, ids: number[], patch: Partial<ChannelEntity>): Promise<void> {
    for (const part of chunk(ids, ID_CHUNK)) {
      await manager.createQueryBuilder().update(ChannelEntity).set(patch).where('id IN (:...ids)', { ids: part }).execute();
    }
  }

  /** Deletes channels and their abilities; returns how many channels went. */
  async deleteChannels(manager: EntityManager, ids: number[]): Promise<number> {
    let deleted = 0;
    for (const part of chunk(ids, ID_CHUNK)) {
      await this.deleteAbilitiesOf(manager, part);
      const result = await manager.createQueryBuilder().delete().from(ChannelEntity).where('id IN (:...ids)', { ids: part }).execute();
      deleted += result.affected ?? part.length;
    }
    return deleted;
  }

  /** Drops the channels' abilities and writes them again from the given channel values. Returns rows written. */
  async replaceAbilities(manager: EntityManager, channels: AbilitySource[]): Promise<number> {
    await this.deleteAbilitiesOf(
      manager,
      channels.map((channel) => channel.id),
    );
    return this.insertAbilities(manager, channels.flatMap(abilityRowsOf));
  }

  async deleteAllAbilities(manager: EntityManager): Promise<void> {
    await manager.createQueryBuilder().delete().from(AbilityEntity).execute();
  }

  /** Inserts in chunks; a duplicate (e.g. models differing only by case on MySQL) is skipped, not fatal. */
  async insertAbilities(manager: EntityManager, rows: AbilityRow[]): Promise<number> {
    for (const part of chunk(rows, ABILITY_INSERT_CHUNK)) {
      await manager.createQueryBuilder().insert().into(AbilityEntity).values(part).orIgnore().updateEntity(false).execute();
    }
    return rows.length;
  }

  async setAbilitiesEnabled(manager: EntityManager, channelIds: number[], enabled: boolean): Promise<void> {
    for (const part of chunk(channelIds, ID_CHUNK)) {
      await manager.createQueryBuilder().update(AbilityEntity).set({ enabled }).where('channel_id IN (:...ids)', { ids: part }).execute();
    }
  }

  async setAbilitiesTag(manager: EntityManager, channelIds: number[], tag: string | null): Promise<void> {
    for (const part of chunk(channelIds, ID_CHUNK)) {
      await manager.createQueryBuilder().update(AbilityEntity).set({ tag }).where('channel_id IN (:...ids)', { ids: part }).execute();
    }
  }

  /** Distinct models with at least one enabled ability. */
  async enabledModels(): Promise<string[]> {
    const rows = await this.abilities
      .createQueryBuilder('ability')
      .select('DISTINCT ability.model', 'model')
      .where('ability.enabled = :enabled', { enabled: true })
      .orderBy('ability.model', 'ASC')
      .getRawMany<{ model: string }>();
    return rows.map((row) => row.model);
  }

  /** Enabled abilities, for the relay's routing index. */
  async enabledAbilities(): Promise<AbilityRow[]> {
    const rows = await this.abilities.find({ where: { enabled: true } });
    return rows.map((row) => ({
      group: row.group,
      model: row.model,
      channel_id: Number(row.channel_id),
      enabled: true,
      priority: Number(row.priority),
      weight: Number(row.weight),
      tag: row.tag,
    }));
  }

  private async deleteAbilitiesOf(manager: EntityManager, channelIds: number[]): Promise<void> {
    for (const part of chunk(channelIds, ID_CHUNK)) {
      await manager.createQueryBuilder().delete().from(AbilityEntity).where('channel_id IN (:...ids)', { ids: part }).execute();
    }
  }

  private filtered(filter: ChannelFilter): SelectQueryBuilder<ChannelEntity> {
    const query = this.channels.createQueryBuilder('channel').where('1 = 1');
    if (filter.status === 'enabled') query.andWhere('channel.status = :enabledStatus', { enabledStatus: ChannelStatus.Enabled });
    else if (filter.status === 'disabled') query.andWhere('channel.status <> :enabledStatus', { enabledStatus: ChannelStatus.Enabled });
    else if (typeof filter.status === 'number') query.andWhere('channel.status = :status', { status: filter.status });
    if (filter.type !== undefined) query.andWhere('channel.type = :type', { type: filter.type });
    if (filter.tag !== undefined) query.andWhere('channel.tag = :tag', { tag: filter.tag });
    if (filter.keyword) {
      const keyword = filter.keyword;
      const pattern = `%${escapeLike(keyword.toLowerCase())}%`;
      query.andWhere(
        new Brackets((where) => {
          where
            .where(`LOWER(channel.name) LIKE :keywordPattern ESCAPE '!'`, { keywordPattern: pattern })
            .orWhere(`LOWER(channel.base_url) LIKE :keywordPattern ESCAPE '!'`)
            .orWhere('channel.key = :keyword', { keyword });
          if (/^\d{1,9}$/.test(keyword)) where.orWhere('channel.id = :keywordId', { keywordId: Number(keyword) });
        }),
      );
    }
    if (filter.group) {
      const group = escapeLike(filter.group);
      query.andWhere(
        new Brackets((where) => {
          where
            .where('channel.group = :groupExact', { groupExact: filter.group })
            .orWhere(`channel.group LIKE :groupFirst ESCAPE '!'`, { groupFirst: `${group},%` })
            .orWhere(`channel.group LIKE :groupLast ESCAPE '!'`, { groupLast: `%,${group}` })
            .orWhere(`channel.group LIKE :groupMiddle ESCAPE '!'`, { groupMiddle: `%,${group},%` });
        }),
      );
    }
    if (filter.model) {
      query.andWhere(`channel.models LIKE :modelPattern ESCAPE '!'`, { modelPattern: `%${escapeLike(filter.model)}%` });
    }
    return query;
  }

  private order(query: SelectQueryBuilder<ChannelEntity>, idSort?: boolean): void {
    if (idSort) query.orderBy('channel.id', 'DESC');
    else query.orderBy('channel.priority', 'DESC').addOrderBy('channel.id', 'DESC');
  }
}
