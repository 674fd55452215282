import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelEntity, TokenEntity, UserEntity } from '../../database/entities';

/**
 * The only place relay traffic moves quota. Every change is one conditional, atomic SQL UPDATE
 * (`quota = quota - ?` guarded by `quota >= ?` where overdraft must be impossible), never a
 * read-modify-write in JavaScript, so concurrent requests on one key cannot overspend it.
 *
 * No multi-statement transactions here on purpose: a failed second step is undone by an exact
 * compensating update instead. (With SQLite, TypeORM shares one connection between all callers,
 * so a transaction held open across awaits would absorb other requests' statements.)
 */
@Injectable()
export class QuotaLedgerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Takes `amount` from a limited token if it has that much left. Returns false otherwise. */
  async reserveFromToken(tokenId: number, amount: number): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(TokenEntity)
      .set({ remain_quota: () => 'remain_quota - :amount', used_quota: () => 'used_quota + :amount' })
      .where('id = :tokenId AND remain_quota >= :amount', { tokenId, amount })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Takes `amount` from a user's wallet if it has that much left. Returns false otherwise. */
  async reserveFromUser(userId: number, amount: number): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(UserEntity)
      .set({ quota: () => 'quota - :amount' })
      .where('id = :userId AND quota >= :amount', { userId, amount })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Moves `delta` (positive = give back) to a token, unguarded: used for refunds and unlimited tokens. */
  async adjustToken(tokenId: number, giveBack: number): Promise<void> {
    if (giveBack === 0) return;
    await this.dataSource
      .createQueryBuilder()
      .update(TokenEntity)
      .set({ remain_quota: () => 'remain_quota + :giveBack', used_quota: () => 'used_quota - :giveBack' })
      .where('id = :tokenId', { tokenId, giveBack })
      .execute();
  }

  async adjustUser(userId: number, giveBack: number): Promise<void> {
    if (giveBack === 0) return;
    await this.dataSource
      .createQueryBuilder()
      .update(UserEntity)
      .set({ quota: () => 'quota + :giveBack' })
      .where('id = :userId', { userId, giveBack })
      .execute();
  }

  /** Settles the wallet in one statement: gives back `giveBack` (negative = takes more), counts the request. */
  async settleUser(userId: number, giveBack: number, charged: number): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(UserEntity)
      .set({
        quota: () => 'quota + :giveBack',
        used_quota: () => 'used_quota + :charged',
        request_count: () => 'request_count + 1',
      })
      .where('id = :userId', { userId, giveBack, charged })
      .execute();
  }

  async countChannelUsage(channelId: number, quota: number): Promise<void> {
    if (channelId <= 0 || quota === 0) return;
    await this.dataSource
      .createQueryBuilder()
      .update(ChannelEntity)
      .set({ used_quota: () => 'used_quota + :quota' })
      .where('id = :channelId', { channelId, quota })
      .execute();
  }

  /** Remaining and used quota of a token and of its user's wallet, read fresh. */
  async snapshot(tokenId: number, userId: number): Promise<{ tokenRemain: number; tokenUsed: number; userQuota: number; userUsed: number }> {
    const [token, user] = await Promise.all([
      this.dataSource.getRepository(TokenEntity).findOne({ where: { id: tokenId }, select: { id: true, remain_quota: true, used_quota: true } }),
      this.dataSource.getRepository(UserEntity).findOne({ where: { id: userId }, select: { id: true, quota: true, used_quota: true } }),
    ]);
    return {
      tokenRemain: token?.remain_quota ?? 0,
      tokenUsed: token?.used_quota ?? 0,
      userQuota: user?.quota ?? 0,
      userUsed: user?.used_quota ?? 0,
    };
  }

  /** Current remaining quota of a token and its user's wallet (for capping a request to what it can pay). */
  async balances(tokenId: number, userId: number): Promise<{ token: number; user: number }> {
    const [token, user] = await Promise.all([
      this.dataSource.getRepository(TokenEntity).findOne({ where: { id: tokenId }, select: { id: true, remain_quota: true } }),
      this.dataSource.getRepository(UserEntity).findOne({ where: { id: userId }, select: { id: true, quota: true } }),
    ]);
    return { token: token?.remain_quota ?? 0, user: user?.quota ?? 0 };
  }
}
