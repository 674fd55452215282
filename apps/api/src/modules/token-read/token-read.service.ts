import { Injectable } from '@nestjs/common';
import { Page, TokenStatus, UserLogView, UserStatus } from '@your-api/contracts';
import type { Request } from 'express';
import { ApiError } from '../../common/api-error';
import type { PageRequest } from '../../common/paging';
import { LogsService } from '../logs/logs.service';
import { readApiKey } from '../relay/relay-auth.service';
import { parseApiKey } from '../relay/routing/api-key';
import { TokenRecord, TokensService } from '../tokens/tokens.service';
import { UsersService } from '../users/users.service';

/** New API's token usage summary (`GET /api/usage/token/`, controller/token.go GetTokenUsage). */
export interface TokenUsageView {
  object: 'token_usage';
  name: string;
  total_granted: number;
  total_used: number;
  total_available: number;
  unlimited_quota: boolean;
  model_limits_enabled: boolean;
  /** Unix seconds; 0 when the key never expires. */
  expires_at: number;
}

/**
 * Read-only routes authenticated by an API key (New API TokenAuthReadOnly): the key's own logs and
 * its usage summary. Only the key's existence, enabled status and an enabled owner are checked.
 */
@Injectable()
export class TokenReadService {
  constructor(
    private readonly tokens: TokensService,
    private readonly users: UsersService,
    private readonly logs: LogsService,
  ) {}

  async authenticate(req: Request): Promise<TokenRecord> {
    const raw = readApiKey(req);
    if (!raw) throw ApiError.unauthorized('auth/missing-api-key', 'No API key provided: send it as "Authorization: Bearer sk-…"');
    const token = await this.tokens.findByKey(parseApiKey(raw).key);
    if (!token) throw ApiError.unauthorized('auth/invalid-api-key', 'Invalid API key: check that it was copied whole');
    if (token.status !== TokenStatus.Enabled) {
      throw ApiError.unauthorized('auth/token-disabled', 'This API key is not enabled; enable it in the console');
    }
    const user = await this.users.findAuthUserById(token.user_id);
    if (!user) throw ApiError.unauthorized('auth/user-missing', 'The owner of this API key no longer exists');
    if (user.status !== UserStatus.Enabled) throw ApiError.forbidden('auth/user-disabled', 'The owner of this API key has been disabled');
    return token;
  }

  listLogs(token: TokenRecord, page: PageRequest): Promise<Page<UserLogView>> {
    return this.logs.listOfToken(token.user_id, token.id, page);
  }

  /** Read fresh from the database: the key cache holds the row as it was when the key was first used. */
  async usage(key: TokenRecord): Promise<TokenUsageView> {
    const token = await this.tokens.get(key.user_id, key.id);
    return {
      object: 'token_usage',
      name: token.name,
      total_granted: token.remain_quota + token.used_quota,
      total_used: token.used_quota,
      total_available: token.remain_quota,
      unlimited_quota: token.unlimited_quota,
      model_limits_enabled: token.model_limits_enabled,
      expires_at: token.expired_time === -1 ? 0 : token.expired_time,
    };
  }
}
