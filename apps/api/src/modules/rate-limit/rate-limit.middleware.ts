import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../../config/app-config';
import { renderError } from '../../common/error-format';
import { isCriticalPath } from './rate-limit-rules';
import { RateLimitService } from './rate-limit.service';
import { RateLimitDecision, retryAfterSeconds } from './sliding-window';

/**
 * The per-IP limits of the management API (New API's GlobalAPIRateLimit on every /api route, then
 * CriticalRateLimit on sign-in, sign-up, reset, OAuth and top-up routes). Client IPs come from
 * req.ip, so TRUSTED_PROXIES decides whether X-Forwarded-For is believed. Refusals are 429s with
 * Retry-After in the management envelope.
 */
@Injectable()
export class ManagementRateLimitMiddleware implements NestMiddleware {
  private readonly api: { enabled: boolean; limit: number; windowMs: number };
  private readonly critical: { enabled: boolean; limit: number; windowMs: number };

  constructor(
    config: AppConfig,
    private readonly limits: RateLimitService,
  ) {
    const env = config.env;
    this.api = { enabled: env.GLOBAL_API_RATE_LIMIT_ENABLE, limit: env.GLOBAL_API_RATE_LIMIT, windowMs: env.GLOBAL_API_RATE_LIMIT_DURATION * 1000 };
    this.critical = { enabled: env.CRITICAL_RATE_LIMIT_ENABLE, limit: env.CRITICAL_RATE_LIMIT, windowMs: env.CRITICAL_RATE_LIMIT_DURATION * 1000 };
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const path = req.originalUrl.split('?', 1)[0];
    if (!path.startsWith('/api/')) return next();
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const critical = this.critical.enabled && isCriticalPath(path);
    if (!this.api.enabled && !critical) return next();
    void this.admit(ip, critical, res).then(
      (admitted) => (admitted ? next() : undefined),
      (error: unknown) => next(error),
    );
  }

  private async admit(ip: string, critical: boolean, res: Response): Promise<boolean> {
    if (this.api.enabled) {
      const decision = await this.limits.take(`api:${ip}`, this.api.limit, this.api.windowMs);
      if (!decision.allowed) return this.refuse(res, decision, 'Too many requests from this IP address; try again later');
    }
    if (critical) {
      const decision = await this.limits.take(`critical:${ip}`, this.critical.limit, this.critical.windowMs);
      if (!decision.allowed) return this.refuse(res, decision, 'Too many attempts from this IP address; try again later');
    }
    return true;
  }

  private refuse(res: Response, decision: RateLimitDecision, message: string): false {
    res.setHeader('Retry-After', String(retryAfterSeconds(decision)));
    res.status(429).json(renderError('management', 429, 'rate-limit/ip', message));
    return false;
  }
}
