import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AuthUser, CurrentUser, UserAuth } from '../../common/auth';
import { ok } from '../../common/envelope';
import { TurnstileCheck } from '../turnstile/turnstile.guard';
import { AccountEmailService } from './account-email.service';
import { BindEmailDto } from './dto/bind-email.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';

/** A query value as one string (repeated parameters arrive as arrays: the first counts). */
function queryText(value: unknown): string {
  if (Array.isArray(value)) return queryText(value[0]);
  return typeof value === 'string' ? value : '';
}

/**
 * New API's email routes: verification codes, password reset by mail and email binding. All sit
 * under the per-IP critical rate limit (rate-limit-rules.ts).
 */
@Controller('api')
export class AccountEmailController {
  constructor(private readonly accountEmail: AccountEmailService) {}

  @Get('verification')
  @TurnstileCheck()
  async verification(@Query('email') email: unknown) {
    await this.accountEmail.sendVerificationCode(queryText(email));
    return ok(undefined, 'The verification code has been sent');
  }

  @Get('reset_password')
  @TurnstileCheck()
  async resetPassword(@Query('email') email: unknown) {
    await this.accountEmail.sendPasswordReset(queryText(email));
    return ok(undefined, 'If this address belongs to an account, a reset link has been sent to it');
  }

  @Post('user/reset')
  @HttpCode(200)
  async reset(@Body() body: ResetPasswordDto) {
    return ok(await this.accountEmail.resetPassword(body.email, body.token));
  }

  /** New API latest: a JSON body. */
  @Post('oauth/email/bind')
  @UserAuth()
  @HttpCode(200)
  async bindEmail(@CurrentUser() caller: AuthUser, @Body() body: BindEmailDto) {
    await this.accountEmail.bindEmail(caller.id, body.email, body.code);
    return ok(undefined, 'bind');
  }

  /** New API v25.04: `?email=&code=`. */
  @Get('oauth/email/bind')
  @UserAuth()
  async bindEmailByQuery(@CurrentUser() caller: AuthUser, @Query() query: Record<string, unknown>) {
    const email = queryText(query.email).trim();
    const code = queryText(query.code).trim();
    if (!email || !code) throw ApiError.badRequest('user/verification-required', 'email and code are required');
    await this.accountEmail.bindEmail(caller.id, email, code);
    return ok(undefined, 'bind');
  }
}
