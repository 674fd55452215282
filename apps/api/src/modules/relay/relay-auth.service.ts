import { Injectable } from '@nestjs/common';
import { Role, TokenStatus, UserStatus } from '@your-api/contracts';
import type { Request } from 'express';
import { ApiError } from '../../common/api-error';
import type { AuthUser } from '../../common/auth';
import { requestIp, requestPath, requestQuery } from '../../common/request-fields';
import { OptionsService } from '../options/options.service';
import { TokenRecord, TokensService } from '../tokens/tokens.service';
import { UsersService } from '../users/users.service';
import { parseApiKey } from './routing/api-key';
import { IpAllowList } from './routing/ip-allow-list';

/** The caller of a relay request once its key passed every check. */
export interface RelayCaller {
  /** The API key; for the playground a stand-in with id 0 (see playgroundToken): no token pays. */
  token: TokenRecord;
  user: AuthUser;
  /** The group the request is routed and billed in: the token's group, else the user's. */
  group: string;
  /** Admin-pinned channel (`sk-<key>-<channelId>`), or null. */
  pinnedChannelId: number | null;
  /** Model names the token may use, or null for any. */
  allowedModels: ReadonlySet<string> | null;
}

/** Reads the API key from the places New API accepts it for this path. */
export function readApiKey(req: Request): string {
  const authorization = req.headers.authorization;
  const path = requestPath(req);
  // Midjourney clients may send the key as mj-api-secret, with no Authorization or the literal "midjourney-proxy".
  if (path.includes('/mj/') && (typeof authorization !== 'string' || !authorization.trim() || authorization.trim() === 'midjourney-proxy')) {
    const secret = req.headers['mj-api-secret'];
    if (typeof secret === 'string' && secret.trim()) return secret.trim().replace(/^Bearer\s+/i, '');
  }
  if (typeof authorization === 'string' && authorization.trim()) return authorization.trim().replace(/^Bearer\s+/i, '');
  const xApiKey = req.headers['x-api-key'];
  if (typeof xApiKey === 'string' && (path.startsWith('/v1/messages') || path.startsWith('/v1/models'))) return xApiKey.trim();
  if (path.startsWith('/v1beta/') || path.startsWith('/v1/models/')) {
    const googKey = req.headers['x-goog-api-key'];
    if (typeof googKey === 'string' && googKey.trim()) return googKey.trim();
    const key = requestQuery(req).key;
    if (typeof key === 'string' && key) return key;
  }
  return '';
}

/**
 * The stand-in token of a playground request: id 0 (the log's token_id; the ledger touches no
 * token row for it), unlimited, named `playground-<group>` as New API names it in the logs.
 */
export function playgroundToken(userId: number, group: string): TokenRecord {
  return {
    id: 0,
    user_id: userId,
    key: '',
    status: TokenStatus.Enabled,
    name: `playground-${group}`,
    created_time: 0,
    accessed_time: 0,
    expired_time: -1,
    remain_quota: 0,
    unlimited_quota: true,
    model_limits_enabled: false,
    model_limits: null,
    allow_ips: '',
    used_quota: 0,
    group,
  };
}

/**
 * Token authentication of relay requests (New API TokenAuth): key lookup from the in-memory token
 * cache, then status, expiry, quota, IP allow-list, owner and group checks, each refused with a
 * message that says what to fix.
 */
@Injectable()
export class RelayAuthService {
  private readonly allowLists = new Map<string, IpAllowList>();
  private readonly modelLimits = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly tokens: TokensService,
    private readonly users: UsersService,
    private readonly options: OptionsService,
  ) {}

  async authenticate(req: Request): Promise<RelayCaller> {
    const raw = readApiKey(req);
    if (!raw) {
      throw ApiError.unauthorized('auth/missing-api-key', 'No API key provided: send it as "Authorization: Bearer sk-…"');
    }
    const { key, pinnedChannelId } = parseApiKey(raw);
    const token = await this.tokens.findByKey(key);
    if (!token) throw ApiError.unauthorized('auth/invalid-api-key', 'Invalid API key: check that it was copied whole');
    const now = Math.floor(Date.now() / 1000);
    if (token.status === TokenStatus.Disabled) {
      throw ApiError.unauthorized('auth/token-disabled', 'This API key has been disabled; enable it in the console');
    }
    if (token.status === TokenStatus.Expired || (token.expired_time !== -1 && token.expired_time <= now)) {
      throw ApiError.unauthorized('auth/token-expired', 'This API key has expired; extend its expiry in the console');
    }
    if (!token.unlimited_quota && (token.status === TokenStatus.Exhausted || token.remain_quota <= 0)) {
      throw ApiError.forbidden('auth/token-quota-exhausted', 'This API key has no quota left; raise its quota in the console');
    }
    if (token.status !== TokenStatus.Enabled) {
      throw ApiError.unauthorized('auth/token-unusable', 'This API key is not enabled');
    }
    const ip = requestIp(req);
    if (!this.allowList(token.allow_ips).allows(ip ?? req.socket.remoteAddress ?? '')) {
      throw ApiError.forbidden('auth/ip-not-allowed', `Requests from ${ip ?? 'this address'} are not allowed for this API key`);
    }
    const user = await this.users.findAuthUserById(token.user_id);
    if (!user) throw ApiError.unauthorized('auth/user-missing', 'The owner of this API key no longer exists');
    if (user.status !== UserStatus.Enabled) throw ApiError.forbidden('auth/user-disabled', 'The owner of this API key has been disabled');
    if (pinnedChannelId !== null && user.role < Role.Admin) {
      throw ApiError.forbidden('auth/channel-pin-forbidden', 'Only administrators may pin a channel with sk-<key>-<channel id>');
    }
    const group = token.group || user.group;
    if (token.group && token.group !== user.group && !this.isUsableGroup(token.group)) {
      throw ApiError.forbidden('auth/group-not-usable', `The group "${token.group}" of this API key is not available to its owner`);
    }
    return { token, user, group, pinnedChannelId, allowedModels: this.allowedModels(token) };
  }

  /**
   * The caller of a playground request (New API's Playground): a logged-in user with no API key.
   * The request is routed and billed in `requestedGroup` when the user may use it, else refused;
   * by default in the user's own group. No token limits apply and only the wallet pays.
   */
  playgroundCaller(user: AuthUser, requestedGroup: string | null): RelayCaller {
    const group = requestedGroup ?? user.group;
    if (group !== user.group && !this.isUsableGroup(group)) {
      throw ApiError.forbidden('auth/group-not-usable', `The group "${group}" is not available to you; pick one of your usable groups`);
    }
    return { token: playgroundToken(user.id, group), user, group, pinnedChannelId: null, allowedModels: null };
  }

  /** New API's model-limit check: a limited token may only use the listed models. */
  checkModel(caller: RelayCaller, model: string): void {
    if (caller.allowedModels && !caller.allowedModels.has(model)) {
      throw ApiError.forbidden('auth/model-not-allowed', `This API key has no access to model ${model}`);
    }
  }

  private isUsableGroup(group: string): boolean {
    const usable = this.options.getJson<Record<string, unknown> | null>('UserUsableGroups') ?? {};
    const ratios = this.options.getJson<Record<string, unknown> | null>('GroupRatio') ?? {};
    return Object.prototype.hasOwnProperty.call(usable, group) && Object.prototype.hasOwnProperty.call(ratios, group);
  }

  private allowList(spec: string | null): IpAllowList {
    const key = spec ?? '';
    let list = this.allowLists.get(key);
    if (!list) {
      list = new IpAllowList(key);
      if (this.allowLists.size > 10_000) this.allowLists.clear();
      this.allowLists.set(key, list);
    }
    return list;
  }

  private allowedModels(token: TokenRecord): ReadonlySet<string> | null {
    if (!token.model_limits_enabled) return null;
    const spec = token.model_limits ?? '';
    let set = this.modelLimits.get(spec);
    if (!set) {
      set = new Set(spec.split(',').map((m) => m.trim()).filter(Boolean));
      if (this.modelLimits.size > 10_000) this.modelLimits.clear();
      this.modelLimits.set(spec, set);
    }
    return set;
  }
}
