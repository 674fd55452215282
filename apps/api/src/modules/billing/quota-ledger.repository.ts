import { BeforeApplicationShutdown, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ChannelEntity, TokenEntity, UserEntity } from '../../database/entities';
import { LedgerBatch, LedgerTable, PendingDeltas } from './ledger-batch';

/**
 * The only place relay traffic moves quota. Every change is one atomic SQL UPDATE
 * (`quota = quota - ?`, guarded by `quota >= ?` where an overdraft must be impossible), never a
 * read-modify-write in JavaScript, so concurrent requests on one key cannot overspend it.
 *
 * No multi-statement transactions here on purpose: a failed second step is undone by an exact
 * compensating update instead. (With SQLite, TypeORM shares one connection between all callers,
 * so a transaction held open across awaits would absorb other requests' statements.)
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

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    this.batch = config.env.BATCH_UPDATE_ENABLED ? new LedgerBatch() : null;
  }

  onModuleInit(): void {
    if (!this.batch) return;
    this.timer = setInterval(() => void this.flush(), this.config.env.BATCH_UPDATE_INTERVAL * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Runs after every module's onModuleDestroy (the relay waits for its settlements there). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Writes the summed counters now. Failed rows stay pending for the next flush. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.batch || this.batch.size === 0) return;
      const entries = this.batch.drain();
      const failed: typeof entries = [];
      for (const entry of entries) {
        try {
          await this.applyDeltas(entry.table, entry.id, entry.deltas);
        } catch (error) {
          failed.push(entry);
          this.logger.error(`batched quota update of ${entry.table} #${entry.id} failed: ${String(error)}`);
        }
      }
      this.batch.restore(failed);
    });
    return this.flushing;
  }

  private async applyDeltas(table: LedgerTable, id: number, deltas: PendingDeltas): Promise<void> {
    const query = this.dataSource.createQueryBuilder();
    switch (table) {
      case 'tokens':
        await query
          .update(TokenEntity)
          .set({ remain_quota: () => 'remain_quota + :quota', used_quota: () => 'used_quota + :used' })
          .where('id = :id', { id, quota: deltas.quota, used: deltas.used })
          .execute();
        return;
      case 'users':
        await query
          .update(UserEntity)
          .set({ quota: () => 'quota + :quota', used_quota: () => 'used_quota + :used', request_count: () => 'request_count + :requests' })
          .where('id = :id', { id, quota: deltas.quota, used: deltas.used, requests: deltas.requests })
          .execute();
        return;
      case 'channels':
        await query
          .update(ChannelEntity)
          .set({ used_quota: () => 'used_quota + :used' })
          .where('id = :id', { id, used: deltas.used })
          .execute();
        return;
    }
  }

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

  /** Gives `giveBack` back to a limited token (negative takes more, unguarded). Written at once. */
  async adjustToken(tokenId: number, giveBack: number): Promise<void> {
    if (giveBack === 0) return;
    await this.applyDeltas('tokens', tokenId, { quota: giveBack, used: -giveBack, requests: 0 });
  }

  /** Gives `giveBack` back to a wallet. Written at once. */
  async adjustUser(userId: number, giveBack: number): Promise<void> {
    if (giveBack === 0) return;
    await this.applyDeltas('users', userId, { quota: giveBack, used: 0, requests: 0 });
  }

  /** Counts a settled request on an unlimited token (never guarded, so it may be batched). */
  async chargeUnlimitedToken(tokenId: number, charged: number): Promise<void> {
    if (charged === 0) return;
    if (this.batch) this.batch.add('tokens', tokenId, -charged, charged);
    else await this.applyDeltas('tokens', tokenId, { quota: -charged, used: charged, requests: 0 });
  }

  /**
   * Settles the wallet: gives back `giveBack` (negative = takes more) at once, and counts the
   * request (used quota, request count), batched where enabled.
   */
  async settleUser(userId: number, giveBack: number, charged: number): Promise<void> {
    if (this.batch) {
      await this.adjustUser(userId, giveBack);
      this.batch.add('users', userId, 0, charged, 1);
      return;
    }
    await this.applyDeltas('users', userId, { quota: giveBack, used: charged, requests: 1 });
  }

  async countChannelUsage(channelId: number, quota: number): Promise<void> {
    if (channelId <= 0 || quota === 0) return;
    if (this.batch) this.batch.add('channels', channelId, 0, quota);
    else await this.applyDeltas('channels', channelId, { quota: 0, used: quota, requests: 0 });
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
    const snapshot = await this.snapshot(tokenId, userId);
    return { token: snapshot.tokenRemain, user: snapshot.userQuota };
  }
}
