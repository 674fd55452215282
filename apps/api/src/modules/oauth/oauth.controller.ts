import { Controller, Get, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ok } from '../../common/envelope';
import type { RedirectProvider } from './oauth-providers.service';
import { OAuthService } from './oauth.service';
import { issueOAuthState, type OAuthIntent } from './oauth-state';

/** A query value as one string (repeated parameters arrive as arrays: the first counts). */
function queryText(value: unknown): string {
  if (Array.isArray(value)) return queryText(value[0]);
  return typeof value === 'string' ? value : '';
}

/**
 * /api/oauth: New API's third-party login routes. All are public: each checks its own proof (the
 * session's state, the Telegram signature) and binding reads the session cookie itself.
 */
@Controller('api/oauth')
export class OAuthController {
  constructor(private readonly oauth: OAuthService) {}

  /**
   * A state for the provider's authorize URL, kept in the session. `aff` is the inviter's code for
   * a registration; `intent=login|bind` (or `bind`) fixes what the callback does, which otherwise
   * binds when the caller is logged in (New API v25.04).
   */
  @Get('state')
  state(@Query() query: Record<string, unknown>, @Req() req: Request) {
    const intentText = queryText(query.intent);
    const intent: OAuthIntent = query.bind !== undefined || intentText === 'bind' ? 'bind' : intentText === 'login' ? 'login' : 'auto';
    return ok(issueOAuthState(req, queryText(query.aff).trim().slice(0, 32), intent));
  }

  @Get('telegram/login')
  async telegramLogin(@Query() query: Record<string, unknown>, @Req() req: Request) {
    return ok(await this.oauth.telegramLogin(query, req));
  }

  @Get('telegram/bind')
  async telegramBind(@Query() query: Record<string, unknown>, @Req() req: Request) {
    return ok(await this.oauth.telegramBind(query, req), 'bind');
  }

  @Get('github')
  github(@Query() query: Record<string, unknown>, @Req() req: Request) {
    return this.callback('github', query, req);
  }

  @Get('oidc')
  oidc(@Query() query: Record<string, unknown>, @Req() req: Request) {
    return this.callback('oidc', query, req);
  }

  @Get('linuxdo')
  linuxdo(@Query() query: Record<string, unknown>, @Req() req: Request) {
    return this.callback('linuxdo', query, req);
  }

  /** Logs in (or registers) and answers the user as password login does; a bind answers message "bind" (New API). */
  private async callback(provider: RedirectProvider, query: Record<string, unknown>, req: Request) {
    const outcome = await this.oauth.completeRedirect(provider, queryText(query.code), queryText(query.state), req);
    return ok(outcome.user, outcome.bound ? 'bind' : '');
  }
}
