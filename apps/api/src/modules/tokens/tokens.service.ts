import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Page, TokenStatus, type TokenView } from '@your-api/contracts';
import { ApiError } from '../../common/api-error';
import type { AuthUser } from '../../common/auth';
import { PageRequest, toPage } from '../../common/paging';
import { AppConfig } from '../../config/app-config';
import { TokenEntity } from '../../database/entities';
import { CacheInvalidationBus } from '../cache/cache-invalidation-bus.service';
import { OptionsService } from '../options/options.service';
import { generateApiKey } from '../users/random-keys';
import { CreateTokenDto, TokenFieldsDto, UpdateTokenDto } from './dto/token.dto';
import {
  characterCount,
  MAX_TOKEN_NAME_LENGTH,
  normaliseAllowIps,
  normaliseCsv,
  stripKeyPrefix,
} from './token-rules';
import { TokenSearch, TokensRepository } from './tokens.repository';

/** A token as the relay sees it (a frozen copy: callers cannot change the cached value). */
export type TokenRecord = Readonly<Omit<TokenEntity, 'deleted_at'>>;

/** Most tokens kept in the key cache; the oldest entry is dropped beyond this. */
const KEY_CACHE_LIMIT = 10_000;

/** The JSON a token is shown as to its owner: the full key with the `sk-` prefix clients send. */
export function toTokenView(token: TokenEntity): TokenView {
  return {
    id: token.id,
    user_id: token.user_id,
    key: `sk-${token.key}`,
    status: token.status,
    name: token.name,
    created_time: token.created_time,
    accessed_time: token.accessed_time,
    expired_time: token.expired_time,
    remain_quota: token.remain_quota,
    unlimited_quota: Boolean(token.unlimited_quota),
    model_limits_enabled: Boolean(token.model_limits_enabled),
    model_limits: token.model_limits ?? '',
    allow_ips: token.allow_ips ?? '',
    used_quota: token.used_quota,
    group: token.group ?? '',
  };
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The key cache and invalidation messages use a digest of the key, so API keys never travel through Redis. */
const keyDigest = (key: string): string => createHash('sha256').update(key).digest('base64url');

/**
 * Users' own API keys. Every query is scoped to the caller's id, and another user's token answers
 * 404 (never 403) so ids do not leak. `findByKey` serves the relay from a small in-memory cache that
 * every write made here invalidates on every node (CacheInvalidationBus, topic `token`); entries
 * also expire after SYNC_FREQUENCY seconds, the fallback when nodes share no Redis.
 */
@Injectable()
export class TokensService {
  /**
   * Keyed by the key itself (the token row holds it anyway), so a cached request hashes nothing;
   * invalidations name keys by keyDigest (never the key itself on the bus) and are matched on `digest`.
   */
  private readonly keyCache = new Map<string, { token: TokenRecord; expires: number; digest: string }>();
  /** Counts invalidations, so a row read while one arrived is not cached (it may predate the change). */
  private invalidations = 0;

  constructor(
    private readonly tokens: TokensRepository,
    private readonly options: OptionsService,
    private readonly config: AppConfig,
    private readonly bus: CacheInvalidationBus,
  ) {
    // A token changed on this or another node: drop it (no digest: drop all, the bus may have missed some).
    bus.subscribe('token', (digest) => {
      this.invalidations++;
      if (digest === undefined) this.keyCache.clear();
      else for (const [key, entry] of this.keyCache) if (entry.digest === digest) this.keyCache.delete(key);
    });
  }

  async list(userId: number, page: PageRequest, search?: TokenSearch): Promise<Page<TokenView>> {
    const normalised: TokenSearch = {
      keyword: search?.keyword?.trim() || undefined,
      key: search?.key ? stripKeyPrefix(search.key) || undefined : undefined,
    };
    const [rows, total] = await this.tokens.listOwned(userId, page, normalised);
    return toPage(page, rows.map(toTokenView), total);
  }

  async get(userId: number, id: number): Promise<TokenView> {
    return toTokenView(await this.getOwned(userId, id));
  }

  async create(user: AuthUser, input: CreateTokenDto): Promise<TokenView> {
    const name = this.checkName(input.name);
    const expiredTime = input.expired_time ?? -1;
    this.checkExpiry(expiredTime);
    const remainQuota = input.remain_quota ?? 0;
    this.checkQuota(remainQuota);
    const group = input.group?.trim() ?? '';
    this.checkGroup(user, group);
    const allowIps = this.checkAllowIps(input.allow_ips ?? '');

    const limit = this.options.getNumber('token_setting.max_user_tokens');
    const owned = await this.tokens.countOwned(user.id);
    if (limit > 0 && owned >= limit) {
      throw ApiError.badRequest(
        'token/limit-reached',
        `You already have ${owned} tokens, the most allowed per user (${limit}); delete one before creating another`,
      );
    }

    const now = nowSeconds();
    const saved = await this.tokens.insert({
      user_id: user.id,
      key: generateApiKey(),
      status: TokenStatus.Enabled,
      name,
      created_time: now,
      accessed_time: now,
      expired_time: expiredTime,
      remain_quota: remainQuota,
      unlimited_quota: input.unlimited_quota ?? false,
      model_limits_enabled: input.model_limits_enabled ?? false,
      model_limits: normaliseCsv(input.model_limits ?? ''),
      allow_ips: allowIps,
      used_quota: 0,
      group,
    });
    return toTokenView(saved);
  }

  /**
   * PUT /api/token/: a partial update of the fields sent, or with `statusOnly` just the status.
   * Turning an expired or exhausted token back on is refused until its expiry or quota is fixed.
   */
  async update(user: AuthUser, input: UpdateTokenDto, statusOnly: boolean): Promise<TokenView> {
    const current = await this.getOwned(user.id, input.id);
    const patch: Partial<TokenEntity> = {};
    if (statusOnly) {
      if (input.status === undefined) throw ApiError.badRequest('token/missing-status', 'status is required with status_only=true');
      patch.status = input.status;
    } else {
      Object.assign(patch, this.editableChanges(user, current, input));
      if (input.status !== undefined) patch.status = input.status;
    }
    const next = { ...current, ...patch };
    if (next.status === TokenStatus.Enabled && current.status !== TokenStatus.Enabled) this.checkCanEnable(current, next);

    if (Object.keys(patch).length > 0) {
      await this.tokens.updateOwned(user.id, current.id, patch);
      this.forgetKey(current.key);
    }
    return toTokenView(next);
  }

  async remove(userId: number, id: number): Promise<void> {
    const current = await this.getOwned(userId, id);
    if (!(await this.tokens.softDeleteOwned(userId, id))) throw this.notFound(id);
    this.forgetKey(current.key);
  }

  /**
   * The relay's lookup: a live (not deleted) token by key, with or without `sk-`, or null.
   * Unknown keys are not cached, so a token created on another node is found at once.
   */
  async findByKey(rawKey: string): Promise<TokenRecord | null> {
    const key = stripKeyPrefix(rawKey);
    if (!key || key.length > 128) return null;
    const cached = this.keyCache.get(key);
    if (cached && cached.expires > Date.now()) return cached.token;
    const invalidationsBefore = this.invalidations;
    const token = await this.tokens.findByKey(key);
    if (!token) {
      this.keyCache.delete(key);
      return null;
    }
    const { deleted_at: _deleted, ...fields } = token;
    const record: TokenRecord = Object.freeze(fields);
    if (invalidationsBefore !== this.invalidations) return record;
    this.keyCache.delete(key);
    this.keyCache.set(key, { token: record, expires: Date.now() + this.config.env.SYNC_FREQUENCY * 1000, digest: keyDigest(key) });
    if (this.keyCache.size > KEY_CACHE_LIMIT) {
      const oldest = this.keyCache.keys().next().value;
      if (oldest !== undefined) this.keyCache.delete(oldest);
    }
    return record;
  }

  /**
   * Drops a key from the relay cache of every node (after a change made here or outside this
   * service, e.g. quota settlement). Call it after the change is committed.
   */
  forgetKey(rawKey: string): void {
    this.bus.publish('token', keyDigest(stripKeyPrefix(rawKey)));
  }

  private async getOwned(userId: number, id: number): Promise<TokenEntity> {
    const token = await this.tokens.findOwned(userId, id);
    if (!token) throw this.notFound(id);
    return token;
  }

  private notFound(id: number): ApiError {
    return ApiError.notFound('token/not-found', `Token ${id} does not exist`);
  }

  /** Validated changes of a full PUT; unchanged expiry and group are accepted as they are. */
  private editableChanges(user: AuthUser, current: TokenEntity, input: TokenFieldsDto & { name?: string }): Partial<TokenEntity> {
    const patch: Partial<TokenEntity> = {};
    if (input.name !== undefined && input.name !== null) patch.name = this.checkName(input.name);
    if (input.expired_time !== undefined && input.expired_time !== null && input.expired_time !== current.expired_time) {
      this.checkExpiry(input.expired_time);
      patch.expired_time = input.expired_time;
    }
    if (input.remain_quota !== undefined && input.remain_quota !== null) {
      this.checkQuota(input.remain_quota);
      patch.remain_quota = input.remain_quota;
    }
    if (input.unlimited_quota !== undefined && input.unlimited_quota !== null) patch.unlimited_quota = input.unlimited_quota;
    if (input.model_limits_enabled !== undefined && input.model_limits_enabled !== null) {
      patch.model_limits_enabled = input.model_limits_enabled;
    }
    if (input.model_limits !== undefined && input.model_limits !== null) patch.model_limits = normaliseCsv(input.model_limits);
    if (input.allow_ips !== undefined && input.allow_ips !== null) patch.allow_ips = this.checkAllowIps(input.allow_ips);
    if (input.group !== undefined && input.group !== null) {
      const group = input.group.trim();
      if (group !== (current.group ?? '')) this.checkGroup(user, group);
      patch.group = group;
    }
    return patch;
  }

  private checkName(raw: string): string {
    const name = raw.trim();
    if (!name) throw ApiError.badRequest('token/name-required', 'name is required');
    if (characterCount(name) > MAX_TOKEN_NAME_LENGTH) {
      throw ApiError.badRequest('token/name-too-long', `Token name is too long (at most ${MAX_TOKEN_NAME_LENGTH} characters)`);
    }
    return name;
  }

  private checkExpiry(expiredTime: number): void {
    if (expiredTime !== -1 && expiredTime <= nowSeconds()) {
      throw ApiError.badRequest('token/bad-expiry', 'expired_time must be -1 (never expires) or a Unix time in seconds in the future');
    }
  }

  /** New API [latest]: 0 ≤ remain_quota ≤ 1e9 × QuotaPerUnit. */
  private checkQuota(quota: number): void {
    const max = Math.floor(1e9 * this.options.getNumber('QuotaPerUnit'));
    if (quota < 0) throw ApiError.badRequest('token/bad-quota', 'remain_quota must not be negative');
    if (quota > max) throw ApiError.badRequest('token/bad-quota', `remain_quota must be at most ${max}`);
  }

  /** '' (use the user's group), one of UserUsableGroups, or the user's own group. */
  private checkGroup(user: AuthUser, group: string): void {
    if (group === '' || group === user.group) return;
    const usable = this.options.getJson<Record<string, unknown> | null>('UserUsableGroups') ?? {};
    if (typeof usable === 'object' && Object.prototype.hasOwnProperty.call(usable, group)) return;
    throw ApiError.badRequest('token/bad-group', `Group "${group}" is not available to you`);
  }

  private checkAllowIps(text: string): string {
    const result = normaliseAllowIps(text);
    if ('error' in result) throw ApiError.badRequest('token/bad-allow-ips', result.error);
    return result.value;
  }

  /** New API's rule, applied to the values the token will have after this update. */
  private checkCanEnable(current: TokenEntity, next: TokenEntity): void {
    if (next.expired_time !== -1 && next.expired_time <= nowSeconds()) {
      throw ApiError.badRequest(
        'token/expired',
        'This token has expired and cannot be enabled: set a later expiry time or make it never expire first',
      );
    }
    if (current.status === TokenStatus.Exhausted && !next.unlimited_quota && next.remain_quota <= 0) {
      throw ApiError.badRequest(
        'token/exhausted',
        'This token has used up its quota and cannot be enabled: raise its remaining quota or make it unlimited first',
      );
    }
  }
}
