import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { userLimitRule, UserLimitRule } from './rate-limit-rules';
import { RateLimitService } from './rate-limit.service';
import { retryAfterSeconds } from './sliding-window';

interface Limit {
  enabled: boolean;
  limit: number;
  windowMs: number;
}

/**
 * The per-user limits of the management API ([latest] UserCriticalRateLimit on access-token
 * generation and invite-reward transfer, SearchRateLimit on token and own-log searches). Runs
 * after the auth guard, so it counts by the signed-in user id; a refusal is a 429 with
 * Retry-After in the management envelope.
 */
@Injectable()
export class UserRateLimitInterceptor implements NestInterceptor {
  private readonly limits: Record<UserLimitRule['kind'], Limit>;

  constructor(
    config: AppConfig,
    private readonly rateLimits: RateLimitService,
  ) {
    const env = config.env;
    this.limits = {
      critical: { enabled: env.CRITICAL_RATE_LIMIT_ENABLE, limit: env.CRITICAL_RATE_LIMIT, windowMs: env.CRITICAL_RATE_LIMIT_DURATION * 1000 },
      search: { enabled: env.SEARCH_RATE_LIMIT_ENABLE, limit: env.SEARCH_RATE_LIMIT, windowMs: env.SEARCH_RATE_LIMIT_DURATION * 1000 },
    };
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const userId = req.authUser?.id;
    const rule = userId === undefined ? null : userLimitRule(req.method, req.originalUrl.split('?', 1)[0]);
    if (!rule || !this.limits[rule.kind].enabled) return next.handle();
    const limit = this.limits[rule.kind];
    const res = context.switchToHttp().getResponse<Response>();
    return from(Promise.resolve(this.rateLimits.take(`user:${rule.key}:${userId}`, limit.limit, limit.windowMs))).pipe(
      switchMap((decision) => {
        if (!decision.allowed) {
          res.setHeader('Retry-After', String(retryAfterSeconds(decision)));
          throw new ApiError(429, `rate-limit/user-${rule.kind}`, 'Too many requests; try again later');
        }
        return next.handle();
      }),
    );
  }
}
