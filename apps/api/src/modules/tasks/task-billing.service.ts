import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { priceQuota } from '@your-api/billing-math';
import { LogType } from '@your-api/contracts';
import { DataSource, Repository } from 'typeorm';
import { ApiError } from '../../common/api-error';
import { LOG_REPOSITORY } from '../../database/database.module';
import { LogEntity } from '../../database/entities';
import { BillingService, Payer, Reservation } from '../billing/billing.service';
import { LogRecord, LogsService } from '../logs/logs.service';
import type { RelayCaller } from '../relay/relay-auth.service';
import { RouteCandidate, RoutingIndexService } from '../relay/routing/routing-index.service';
import { ChannelHealthService } from '../relay/channel-health.service';
import { UpstreamDispatchers } from '../relay/upstream/upstream-dispatchers';
import { TaskUpstream } from './upstream-http';
import { pickChannel } from '../relay/routing/channel-picker';
import { UsersService } from '../users/users.service';
import { paidTokenId, refundAmount } from './task-rules';
import { RefundCredit, TasksRepository, TaskTable } from './tasks.repository';
import { ChannelStatus } from '@your-api/contracts';

/** A priced task submission: what it costs and what admission holds for it. */
export interface TaskCharge {
  model: string;
  quota: number;
  modelPrice: number;
  groupRatio: number;
  reservation: Reservation;
}

/**
 * Channel choice, pricing and the quota moves of async tasks, all through the relay's routing
 * index and the billing service (atomic SQL moves), plus the exactly-once refund of failed tasks.
 */
@Injectable()
export class TaskBillingService {
  private readonly logger = new Logger(TaskBillingService.name);

  constructor(
    private readonly routing: RoutingIndexService,
    private readonly billing: BillingService,
    private readonly logs: LogsService,
    private readonly users: UsersService,
    private readonly repository: TasksRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(LOG_REPOSITORY) private readonly logRepository: Repository<LogEntity>,
    private readonly health: ChannelHealthService,
    private readonly dispatchers: UpstreamDispatchers,
  ) {}

  /**
   * The key and connection pool of one call to a task channel, chosen as the relay does: a
   * multi-key channel's random or polling mode, skipping disabled keys; the channel's proxy
   * (setting.proxy) when it has one. Null when every key of the channel is disabled. Throws an
   * UpstreamError (which never repeats the URL) for an unusable proxy.
   */
  upstreamOf(candidate: RouteCandidate): TaskUpstream | null {
    const index = this.health.pickKey(candidate);
    if (index < 0) return null;
    return { key: candidate.keys[index] ?? '', dispatcher: this.dispatchers.forProxy(candidate.setting.proxy) };
  }

  /** A channel serving `model` in the caller's group (or the admin-pinned one). */
  async pickChannel(caller: RelayCaller, model: string): Promise<RouteCandidate> {
    if (caller.pinnedChannelId) {
      const pinned = await this.routing.pinnedChannel(caller.pinnedChannelId);
      if (!pinned) throw ApiError.notFound('relay/channel-not-found', `Channel #${caller.pinnedChannelId} does not exist or is disabled`);
      return pinned;
    }
    const candidate = pickChannel(this.routing.candidates(caller.group, model), 0);
    if (!candidate) {
      throw new ApiError(503, 'relay/no-available-channel', `No channel is available for model ${model} in group "${caller.group}"`);
    }
    return candidate;
  }

  /** The channel that ran an earlier task: follow-ups must go there. Refused when it is disabled. */
  async sameChannel(channelId: number): Promise<RouteCandidate> {
    const candidate = await this.routing.pinnedChannel(channelId);
    if (!candidate || candidate.channel.status !== ChannelStatus.Enabled) {
      throw ApiError.badRequest('task/channel-disabled', `The channel of the original task (#${channelId}) is disabled`);
    }
    return candidate;
  }

  /** Prices one call of `model` and holds it from the token and wallet (`free`: priced but not held). */
  async reserve(caller: RelayCaller, model: string, free: boolean): Promise<TaskCharge> {
    const pricing = this.billing.price(model, caller.group, caller.user.group);
    if (!pricing.found) {
      throw ApiError.badRequest('billing/model-price-unset', `Model ${model} has no price configured; an administrator must set its price`);
    }
    const modelPrice = pricing.usePrice ? pricing.modelPrice : 0;
    const quota = free ? 0 : priceQuota({ modelPrice, groupRatio: pricing.groupRatio, quotaPerUnit: this.billing.quotaPerUnit, otherRatios: {} });
    const payer: Payer = { tokenId: caller.token.id, tokenUnlimited: Boolean(caller.token.unlimited_quota), userId: caller.user.id };
    const reservation = await this.billing.reserve(payer, quota);
    return { model, quota, modelPrice, groupRatio: pricing.groupRatio, reservation };
  }

  /** Charges the held price and writes the consume log; returns the quota charged. */
  async charge(caller: RelayCaller, charge: TaskCharge, channelId: number, detail: string, startedAt: number): Promise<number> {
    const charged = await this.billing.settle(charge.reservation, charge.quota, channelId);
    this.logs.enqueue({
      userId: caller.user.id,
      type: LogType.Consume,
      content: `model price ${charge.modelPrice}, group ratio ${charge.groupRatio}, ${detail}`,
      username: caller.user.username,
      tokenName: caller.token.name,
      modelName: charge.model,
      quota: charged,
      useTime: Math.max(0, Math.round((Date.now() - startedAt) / 1000)),
      channelId,
      tokenId: caller.token.id,
      group: caller.group,
      other: { model_price: charge.modelPrice, group_ratio: charge.groupRatio, admin_info: { use_channel: [String(channelId)] } },
    });
    return charged;
  }

  /** Gives the held price back (the submit failed). */
  release(charge: TaskCharge): Promise<void> {
    return this.billing.refund(charge.reservation).catch((error: unknown) => this.logger.error(`task refund failed: ${String(error)}`));
  }

  /**
   * Fails a task and refunds its quota to the wallet (and, for a `tasks` row paid through an API
   * key named in its private_data, to that key: New API's RefundTaskQuota) with a refund log row —
   * exactly once, however often it is called (see TasksRepository.failAndRefund). Resolves whether
   * this call did it.
   */
  async failTask(
    table: TaskTable,
    task: { id: number; user_id: number; quota: number; channel_id: number; private_data?: string | null },
    fields: Record<string, unknown>,
    log: { modelName: string; content: string },
  ): Promise<boolean> {
    const quota = refundAmount(Number(task.quota));
    const userId = Number(task.user_id);
    let entry: LogRecord | null = null;
    if (quota > 0) {
      const user = await this.users.findAuthUserById(userId);
      entry = {
        userId,
        type: LogType.Refund,
        content: log.content,
        username: user?.username ?? '',
        modelName: log.modelName,
        quota,
        channelId: Number(task.channel_id),
      };
    }
    // The log row joins the transaction when `logs` lives in the same database.
    const inline = this.logRepository.manager.dataSource === this.dataSource;
    const tokenId = paidTokenId(task.private_data);
    if (entry && tokenId > 0) entry.tokenId = tokenId;
    const credit: RefundCredit | null = entry ? { userId, quota, tokenId, logRow: inline ? this.logs.toRow(entry) : null } : null;
    const won = await this.repository.failAndRefund(table, task.id, fields, credit);
    if (won && entry) {
      this.users.forget(userId);
      if (!inline) await this.logs.record(entry).catch((error: unknown) => this.logger.error(`refund log lost: ${String(error)}`));
    }
    return won;
  }
}
