import { Injectable } from '@nestjs/common';
import { UserStatus } from '@your-api/contracts';
import type { Request } from 'express';
import { ApiError } from '../../common/api-error';
import { AuthUser } from '../../common/auth';
import { UserEntity } from '../../database/entities';
import { OptionsService } from '../options/options.service';
import { type LoginView, startLoginSession, toLoginView } from '../users/login-session';
import type { ExternalIdField } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { OAuthProvidersService, type RedirectProvider } from './oauth-providers.service';
import { consumeOAuthState } from './oauth-state';
import { checkTelegramLogin } from './telegram-login';

const ID_FIELD: Record<RedirectProvider, ExternalIdField> = { github: 'github_id', oidc: 'oidc_id', linuxdo: 'linux_do_id' };

export interface OAuthOutcome {
  /** The user now logged in, or the logged-in user the account was bound to. */
  user: LoginView;
  bound: boolean;
}

/**
 * Third-party login as New API does it: the provider's account id is looked up in the user's
 * `<provider>_id` column. A match logs in; no match registers a user when registration is open; a
 * caller already logged in binds the account to themselves instead.
 */
@Injectable()
export class OAuthService {
  constructor(
    private readonly users: UsersService,
    private readonly providers: OAuthProvidersService,
    private readonly options: OptionsService,
  ) {}

  /** GET /api/oauth/<provider>?code&state: the provider sent the user back with a code. */
  async completeRedirect(provider: RedirectProvider, code: string, state: string, req: Request): Promise<OAuthOutcome> {
    const label = OAuthProvidersService.label(provider);
    if (!this.providers.enabled(provider)) {
      throw ApiError.forbidden('oauth/provider-disabled', `Login with ${label} is disabled by the administrator`);
    }
    const flow = consumeOAuthState(req, state);
    if (!flow.ok) throw ApiError.forbidden('oauth/bad-state', 'The login state is missing, expired or does not match; start the login again');
    if (!code) throw ApiError.badRequest('oauth/missing-code', `${label} sent no authorization code`);

    const identity = await this.providers.identify(provider, code);
    if (provider === 'linuxdo') {
      const minimum = this.options.getNumber('LinuxDOMinimumTrustLevel');
      if ((identity.trustLevel ?? 0) < minimum) {
        throw ApiError.forbidden('oauth/trust-level-too-low', `Your LinuxDO trust level is ${identity.trustLevel ?? 0}; this site needs at least ${minimum}`);
      }
    }
    const field = ID_FIELD[provider];

    // New API v25.04 binds whenever the caller is logged in; an explicit intent overrides that.
    const caller = flow.intent === 'login' ? null : await this.sessionUser(req);
    if (flow.intent === 'bind' && !caller) throw ApiError.unauthorized('auth/not-logged-in', 'Log in before binding an account');
    if (caller) return { user: toLoginView(await this.users.bindExternalId(caller.id, field, identity.id)), bound: true };

    let user = await this.users.findByExternalId(field, identity.id);
    if (!user && provider === 'github' && identity.legacyId) user = await this.migrateLegacyGitHubUser(identity.legacyId, identity.id);
    if (user) return { user: this.logIn(req, user), bound: false };

    // Registration re-checks the id under a per-id lock: a simultaneous first login gets the same user.
    const registered = await this.users.registerExternal({
      field,
      externalId: identity.id,
      usernamePrefix: provider,
      displayName: identity.displayName,
      email: identity.email,
      affCode: flow.aff || undefined,
    });
    return { user: registered.created ? startLoginSession(req, registered.user) : this.logIn(req, registered.user), bound: false };
  }

  /** GET /api/oauth/telegram/login: only a Telegram account already bound to a user logs in (as New API; no registration). */
  async telegramLogin(fields: Record<string, unknown>, req: Request): Promise<LoginView> {
    const telegramId = this.verifyTelegram(fields);
    const user = await this.users.findByExternalId('telegram_id', telegramId);
    if (!user) {
      throw ApiError.forbidden('oauth/telegram-not-bound', 'This Telegram account is not bound to a user: log in another way and bind it first');
    }
    return this.logIn(req, user);
  }

  /** GET /api/oauth/telegram/bind: binds the signed Telegram account to the logged-in user. */
  async telegramBind(fields: Record<string, unknown>, req: Request): Promise<LoginView> {
    const telegramId = this.verifyTelegram(fields);
    const caller = await this.sessionUser(req);
    if (!caller) throw ApiError.unauthorized('auth/not-logged-in', 'Log in before binding an account');
    return toLoginView(await this.users.bindExternalId(caller.id, 'telegram_id', telegramId));
  }

  private verifyTelegram(fields: Record<string, unknown>): string {
    if (!this.options.getBool('TelegramOAuthEnabled')) {
      throw ApiError.forbidden('oauth/provider-disabled', 'Login with Telegram is disabled by the administrator');
    }
    const check = checkTelegramLogin(fields, this.options.get('TelegramBotToken'), Math.floor(Date.now() / 1000));
    if (check.ok) return check.user.id;
    if (check.reason === 'stale') throw ApiError.unauthorized('oauth/telegram-expired', 'The Telegram login is too old; log in with Telegram again');
    throw ApiError.unauthorized('oauth/telegram-invalid', 'The Telegram login data is not signed by this site\'s bot');
  }

  /** The enabled user of the session cookie, or null when nobody (or a user that no longer exists) is logged in. */
  private async sessionUser(req: Request): Promise<AuthUser | null> {
    const id = req.session?.id;
    if (!id) return null;
    const user = await this.users.findAuthUserById(id);
    if (user && user.status !== UserStatus.Enabled) throw ApiError.forbidden('auth/user-disabled', 'This user has been disabled');
    return user;
  }

  /** Password login's checks and session for a user found through a provider. */
  private logIn(req: Request, user: UserEntity): LoginView {
    if (user.deleted_at) throw ApiError.forbidden('user/deleted', 'This user has been deleted');
    if (user.status !== UserStatus.Enabled) throw ApiError.forbidden('user/disabled', 'This user has been banned');
    return startLoginSession(req, user);
  }

  /**
   * New API v25.04 stored the GitHub login as github_id; such a user is moved to the numeric id
   * (which never changes) on their first login here, as later New API versions do.
   */
  private async migrateLegacyGitHubUser(login: string, numericId: string): Promise<UserEntity | null> {
    const legacy = await this.users.findByExternalId('github_id', login);
    if (!legacy || legacy.deleted_at) return legacy;
    return this.users.bindExternalId(legacy.id, 'github_id', numericId);
  }
}
