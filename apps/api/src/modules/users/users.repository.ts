import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, Repository } from 'typeorm';
import { AbilityEntity, UserEntity } from '../../database/entities';
import { escapeLike } from './user-rules';

/** The user columns holding a third-party account id (New API's names). */
export type ExternalIdField = 'github_id' | 'oidc_id' | 'linux_do_id' | 'telegram_id' | 'wechat_id';

/** Users queries beyond simple finds. Methods taking `manager` run inside the caller's transaction. */
@Injectable()
export class UsersRepository {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(AbilityEntity) private readonly abilities: Repository<AbilityEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  findById(id: number): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id } });
  }

  /** Deleted users keep their username: New API refuses to reuse it (CheckUserExistOrDeleted). */
  async usernameTaken(username: string, exceptId?: number, manager?: EntityManager): Promise<boolean> {
    const found = await this.manager(manager).findOne(UserEntity, {
      where: { username },
      withDeleted: true,
      select: { id: true },
    });
    return found !== null && found.id !== exceptId;
  }

  async affCodeTaken(affCode: string, manager?: EntityManager): Promise<boolean> {
    const found = await this.manager(manager).findOne(UserEntity, { where: { aff_code: affCode }, withDeleted: true, select: { id: true } });
    return found !== null;
  }

  /** The id of the (not deleted) user owning an invite code, or null. */
  async findIdByAffCode(affCode: string, manager?: EntityManager): Promise<number | null> {
    const found = await this.manager(manager).findOne(UserEntity, { where: { aff_code: affCode }, select: { id: true } });
    return found?.id ?? null;
  }

  /** The user bound to a third-party account id; with `withDeleted`, soft-deleted users count too. */
  findByExternalId(field: ExternalIdField, externalId: string, withDeleted = false): Promise<UserEntity | null> {
    return this.users.findOne({ where: { [field]: externalId }, withDeleted, order: { id: 'ASC' } });
  }

  /** The (not deleted, unless `withDeleted`) user with this email address; the oldest when several share it. */
  findByEmail(email: string, withDeleted = false): Promise<UserEntity | null> {
    if (!email) return Promise.resolve(null);
    return this.users.findOne({ where: { email }, withDeleted, order: { id: 'ASC' } });
  }

  async emailTaken(email: string): Promise<boolean> {
    const found = await this.users.findOne({ where: { email }, withDeleted: true, select: { id: true } });
    return found !== null;
  }

  /** The highest user id ever given (deleted users included), 0 for an empty table. */
  async maxUserId(): Promise<number> {
    const row = await this.users.createQueryBuilder('u').withDeleted().select('MAX(u.id)', 'max').getRawOne<{ max: number | string | null }>();
    return Number(row?.max ?? 0);
  }

  async insert(values: Partial<UserEntity>, manager?: EntityManager): Promise<UserEntity> {
    const repository = this.manager(manager).getRepository(UserEntity);
    return repository.save(repository.create(values));
  }

  /** Newest first (New API orders users by id desc). */
  listPage(offset: number, limit: number): Promise<[UserEntity[], number]> {
    return this.users.findAndCount({ order: { id: 'DESC' }, skip: offset, take: limit });
  }

  /**
   * New API SearchUsers: a numeric keyword also matches the id exactly; username, display name
   * and email match by prefix (wildcards in the keyword are taken literally); optional exact group.
   */
  search(keyword: string, group: string, offset: number, limit: number): Promise<[UserEntity[], number]> {
    const query = this.users.createQueryBuilder('u');
    if (keyword) {
      const pattern = `${escapeLike(keyword)}%`;
      query.andWhere(
        new Brackets((where) => {
          where
            .where("u.username LIKE :pattern ESCAPE '!'", { pattern })
            .orWhere("u.display_name LIKE :pattern ESCAPE '!'", { pattern })
            .orWhere("u.email LIKE :pattern ESCAPE '!'", { pattern });
          if (/^\d{1,9}$/.test(keyword)) where.orWhere('u.id = :keywordId', { keywordId: Number(keyword) });
        }),
      );
    }
    if (group) query.andWhere({ group });
    return query.orderBy('u.id', 'DESC').skip(offset).take(limit).getManyAndCount();
  }

  async update(id: number, values: Partial<UserEntity>, manager?: EntityManager): Promise<void> {
    if (Object.keys(values).length === 0) return;
    await this.manager(manager).update(UserEntity, { id }, values);
  }

  /** Invite reward for the inviter, as one atomic update. */
  async creditInviter(inviterId: number, reward: number, manager?: EntityManager): Promise<void> {
    await this.manager(manager)
      .createQueryBuilder()
      .update(UserEntity)
      .set({ aff_count: () => 'aff_count + 1', aff_quota: () => 'aff_quota + :reward', aff_history: () => 'aff_history + :reward' })
      .where('id = :id', { id: inviterId })
      .setParameter('reward', reward)
      .execute();
  }

  /** Moves invite rewards to the balance if enough are there; false when not (nothing changed). */
  async transferAffQuota(id: number, amount: number): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(UserEntity)
      .set({ aff_quota: () => 'aff_quota - :amount', quota: () => 'quota + :amount' })
      .where('id = :id AND aff_quota >= :amount', { id, amount })
      .execute();
    return result.affected === 1;
  }

  /** `quota = quota + delta` (delta may be negative). */
  async addQuota(id: number, delta: number, manager?: EntityManager): Promise<void> {
    await this.manager(manager)
      .createQueryBuilder()
      .update(UserEntity)
      .set({ quota: () => 'quota + :delta' })
      .where('id = :id', { id, delta })
      .execute();
  }

  /** Sets the invite code only if the user has none yet; false when another request won. */
  async setAffCodeIfMissing(id: number, affCode: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(UserEntity)
      .set({ aff_code: affCode })
      .where('id = :id', { id })
      .andWhere(new Brackets((where) => where.where('aff_code IS NULL').orWhere("aff_code = ''")))
      .execute();
    return result.affected === 1;
  }

  async softDelete(id: number): Promise<void> {
    await this.users.softDelete({ id });
  }

  /** Distinct model names with an enabled ability in one of the groups, sorted. */
  async enabledModelsOfGroups(groups: string[]): Promise<string[]> {
    if (groups.length === 0) return [];
    const rows = await this.abilities
      .createQueryBuilder('ability')
      .select('ability.model', 'model')
      .distinct(true)
      .where({ group: In(groups), enabled: true })
      .getRawMany<{ model: string }>();
    return rows.map((row) => row.model).sort();
  }
}
