import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { Request } from 'express';
import { TurnstileService } from './turnstile.service';

/** The first `?turnstile=` value (repeated parameters arrive as arrays). */
function tokenOf(value: unknown): string {
  if (Array.isArray(value)) return tokenOf(value[0]);
  return typeof value === 'string' ? value.trim() : '';
}

@Injectable()
export class TurnstileGuard implements CanActivate {
  constructor(private readonly turnstile: TurnstileService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    await this.turnstile.check(tokenOf(req.query.turnstile), req.ip ?? req.socket.remoteAddress ?? '');
    return true;
  }
}

/**
 * New API's `middleware.TurnstileCheck()`: the route needs `?turnstile=<token>` while the
 * TurnstileCheckEnabled option is on (register, login, verification, reset_password).
 */
export const TurnstileCheck = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    UseGuards(TurnstileGuard),
    ApiQuery({ name: 'turnstile', required: false, type: String, description: 'Cloudflare Turnstile token; required while the TurnstileCheckEnabled option is on' }),
  );
