import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LogType, type Page, type RedemptionView, RedemptionStatus } from '@your-api/contracts';
import { DataSource, Repository } from 'typeorm';
import { ApiError } from '../../common/api-error';
import type { AuthUser } from '../../common/auth';
import { PageRequest, toPage } from '../../common/paging';
import { LOG_REPOSITORY } from '../../database/database.module';
import { LogEntity, RedemptionEntity } from '../../database/entities';
import { LogRecord, LogsService } from '../logs/logs.service';
import { OptionsService } from '../options/options.service';
import { isUniqueViolation } from '../users/unique-violation';
import { UsersService } from '../users/users.service';
import { CreateRedemptionDto, UpdateRedemptionDto } from './dto/redemption.dto';
import { checkRedemptionName, expiryProblem, generateRedemptionKey, redeemRefusal, topUpLogContent } from './redemption-rules';
import { ClaimedCode, RedeemerMissingError, RedemptionsRepository } from './redemptions.repository';

/** Attempts at drawing unused keys for a batch (a clash of random UUIDs is all but impossible). */
const KEY_ATTEMPTS = 3;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function toRedemptionView(code: RedemptionEntity): RedemptionView {
  return {
    id: code.id,
    user_id: code.user_id,
    key: code.key,
    status: code.status,
    name: code.name,
    quota: code.quota,
    created_time: code.created_time,
    redeemed_time: code.redeemed_time,
    used_user_id: code.used_user_id,
    expired_time: code.expired_time,
  };
}

/**
 * Redemption codes: admins issue and manage them, users redeem them for quota. A redeem credits
 * once per code whatever the number of requests or nodes: see RedemptionsRepository.redeem.
 */
@Injectable()
export class RedemptionsService {
  private readonly logger = new Logger(RedemptionsService.name);
  /** Users with a redeem in progress on this node (New API's per-user try-lock against double submits). */
  private readonly redeeming = new Set<number>();

  constructor(
    private readonly repository: RedemptionsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(LOG_REPOSITORY) private readonly logRepository: Repository<LogEntity>,
    private readonly users: UsersService,
    private readonly logs: LogsService,
    private readonly options: OptionsService,
  ) {}

  // ---------------------------------------------------------------- admin

  async list(page: PageRequest, keyword?: string): Promise<Page<RedemptionView>> {
    const [rows, total] = await this.repository.list(page, keyword?.trim() ?? '');
    return toPage(page, rows.map(toRedemptionView), total);
  }

  async get(id: number): Promise<RedemptionView> {
    return toRedemptionView(await this.getOrThrow(id));
  }

  /** POST /api/redemption/: `count` new codes; answers their keys (New API `data: [keys]`). */
  async create(caller: AuthUser, input: CreateRedemptionDto): Promise<string[]> {
    const name = this.checkName(input.name);
    this.checkQuota(input.quota);
    const now = nowSeconds();
    const expiredTime = input.expired_time ?? 0;
    this.checkExpiry(expiredTime, now);
    for (let attempt = 1; ; attempt++) {
      const keys = Array.from({ length: input.count }, generateRedemptionKey);
      try {
        await this.repository.insertMany(
          keys.map((key) => ({
            user_id: caller.id,
            key,
            status: RedemptionStatus.Enabled,
            name,
            quota: input.quota,
            created_time: now,
            redeemed_time: 0,
            used_user_id: 0,
            expired_time: expiredTime,
          })),
        );
        return keys;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= KEY_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * PUT /api/redemption/: name, quota, expiry (and status, if it changes); with `statusOnly` just
   * the status. A used code cannot be switched on or off, and nothing makes a code "used" but a redeem.
   */
  async update(input: UpdateRedemptionDto, statusOnly: boolean): Promise<RedemptionView> {
    const current = await this.getOrThrow(input.id);
    const patch: Partial<RedemptionEntity> = {};
    if (!statusOnly) {
      if (input.name !== undefined) patch.name = this.checkName(input.name);
      if (input.quota !== undefined) {
        this.checkQuota(input.quota);
        patch.quota = input.quota;
      }
      // The unchanged expiry of an old code may lie in the past: only a new value must be ahead.
      if (input.expired_time !== undefined && input.expired_time !== current.expired_time) {
        this.checkExpiry(input.expired_time, nowSeconds());
        patch.expired_time = input.expired_time;
      }
    } else if (input.status === undefined) {
      throw ApiError.badRequest('redemption/missing-status', 'status is required with status_only=true');
    }
    const statusChange = input.status !== undefined && input.status !== current.status ? input.status : undefined;
    if (statusChange === RedemptionStatus.Used) {
      throw ApiError.badRequest('redemption/bad-status', 'A code becomes used only by being redeemed; status must be 1 (enabled) or 2 (disabled)');
    }

    // The status first: when it is refused, nothing else has changed either.
    if (statusChange !== undefined && !(await this.repository.setStatusUnlessUsed(current.id, statusChange))) {
      throw ApiError.badRequest('redemption/already-used', 'This code has been redeemed; a used code cannot be enabled or disabled');
    }
    await this.repository.update(current.id, patch);
    return this.get(current.id);
  }

  async remove(id: number): Promise<void> {
    if (!(await this.repository.softDelete(id))) throw this.notFound(id);
  }

  /** DELETE /api/redemption/invalid: used, disabled and expired codes; answers how many went. */
  removeInvalid(): Promise<number> {
    return this.repository.softDeleteInvalid(nowSeconds());
  }

  // ---------------------------------------------------------------- redeem

  /** POST /api/user/topup: redeems a code for the caller; answers the quota credited. */
  async redeem(user: AuthUser, rawKey: string): Promise<number> {
    const key = rawKey.trim();
    if (!key) throw ApiError.badRequest('redemption/key-required', 'Enter a redemption code');
    if (this.redeeming.has(user.id)) {
      throw new ApiError(HttpStatus.TOO_MANY_REQUESTS, 'redemption/busy', 'A redemption for your account is in progress; try again in a moment');
    }
    this.redeeming.add(user.id);
    try {
      const now = nowSeconds();
      // The log row joins the redeem's transaction when `logs` lives in the same database.
      const logInline = this.logRepository.manager.dataSource === this.dataSource;
      let claimed: ClaimedCode | null;
      try {
        claimed = await this.repository.redeem(key, user.id, now, logInline ? (code) => this.logs.toRow(this.topUpLog(user, code)) : null);
      } catch (error) {
        if (error instanceof RedeemerMissingError) throw ApiError.notFound('redemption/user-missing', 'Your user no longer exists');
        throw error;
      }
      if (!claimed) {
        const refusal = redeemRefusal(await this.repository.findByKey(key), now);
        throw ApiError.badRequest(refusal.code, refusal.message);
      }
      this.users.forget(user.id);
      if (!logInline) await this.recordQuietly(this.topUpLog(user, claimed));
      return claimed.quota;
    } finally {
      this.redeeming.delete(user.id);
    }
  }

  private topUpLog(user: AuthUser, code: ClaimedCode): LogRecord {
    return {
      userId: user.id,
      username: user.username,
      type: LogType.Topup,
      quota: code.quota,
      content: topUpLogContent(code.quota, this.options.getNumber('QuotaPerUnit'), code.id),
    };
  }

  /** A log written after the credit committed must not turn a done redeem into an error. */
  private async recordQuietly(entry: LogRecord): Promise<void> {
    try {
      await this.logs.record(entry);
    } catch (error) {
      this.logger.warn(`could not write the top-up log of user ${entry.userId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // ---------------------------------------------------------------- helpers

  private async getOrThrow(id: number): Promise<RedemptionEntity> {
    const code = await this.repository.findById(id);
    if (!code) throw this.notFound(id);
    return code;
  }

  private notFound(id: number): ApiError {
    return ApiError.notFound('redemption/not-found', `Redemption code ${id} does not exist`);
  }

  private checkName(raw: string): string {
    const result = checkRedemptionName(raw);
    if ('error' in result) throw ApiError.badRequest('redemption/bad-name', result.error);
    return result.value;
  }

  /** At most 1e9 × QuotaPerUnit ($1 billion), the bound New API puts on token quotas too. */
  private checkQuota(quota: number): void {
    const max = Math.floor(1e9 * this.options.getNumber('QuotaPerUnit'));
    if (quota > max) throw ApiError.badRequest('redemption/bad-quota', `quota must be at most ${max}`);
  }

  private checkExpiry(expiredTime: number, now: number): void {
    const problem = expiryProblem(expiredTime, now);
    if (problem) throw ApiError.badRequest('redemption/bad-expiry', problem);
  }
}
