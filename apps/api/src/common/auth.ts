import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role, UserStatus } from '@your-api/contracts';
import type { Request } from 'express';
import { ApiError } from './api-error';

/** What a session cookie carries (New API keeps the same values in its gin session). */
export interface SessionData {
  id?: number;
  username?: string;
  role?: number;
  status?: number;
  group?: string;
}

/** The caller of a management route, as guards resolve it. */
export interface AuthUser {
  id: number;
  username: string;
  role: number;
  status: number;
  group: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    session?: SessionData | null;
    authUser?: AuthUser;
  }
}

/** Implemented by the users module; lets the guard resolve callers without knowing about tables. */
export abstract class AuthUserSource {
  abstract findAuthUserById(id: number): Promise<AuthUser | null>;
  abstract findAuthUserByAccessToken(accessToken: string): Promise<AuthUser | null>;
}

const ROLE_KEY = 'your-api:min-role';

/** Marks a management route as needing a logged-in caller with at least this role. */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator => SetMetadata(ROLE_KEY, role);

export const UserAuth = (): MethodDecorator & ClassDecorator => RequireRole(Role.Common);
export const AdminAuth = (): MethodDecorator & ClassDecorator => RequireRole(Role.Admin);
export const RootAuth = (): MethodDecorator & ClassDecorator => RequireRole(Role.Root);

/** The resolved caller; only on routes guarded by RequireRole. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<Request>().authUser;
  if (!user) throw ApiError.unauthorized('auth/not-logged-in', 'Not logged in');
  return user;
});

/**
 * New API's UserAuth/AdminAuth/RootAuth: a session cookie or `Authorization: <access token>`,
 * plus a `New-Api-User` header equal to that user's id. Role and status are read fresh from
 * the users cache, so a ban or a demotion takes effect on the next request.
 */
@Injectable()
export class ManagementAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: AuthUserSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const minRole = this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, [context.getHandler(), context.getClass()]);
    if (minRole === undefined) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const user = await this.resolve(req);
    if (user.status !== UserStatus.Enabled) throw ApiError.forbidden('auth/user-disabled', 'This user has been disabled');
    if (user.role < minRole) throw ApiError.forbidden('auth/insufficient-role', 'Permission denied: your role may not do this');
    req.authUser = user;
    return true;
  }

  private async resolve(req: Request): Promise<AuthUser> {
    let user: AuthUser | null;
    const sessionId = req.session?.id;
    if (sessionId) {
      user = await this.users.findAuthUserById(sessionId);
      if (!user) throw ApiError.unauthorized('auth/session-invalid', 'Your session is no longer valid; log in again');
    } else {
      const header = (req.headers.authorization ?? '').trim();
      const accessToken = header.replace(/^Bearer\s+/i, '').trim();
      if (!accessToken) {
        throw ApiError.unauthorized('auth/not-logged-in', 'Not logged in and no access token provided');
      }
      user = await this.users.findAuthUserByAccessToken(accessToken);
      if (!user) throw ApiError.unauthorized('auth/bad-access-token', 'Invalid access token');
    }
    const claimed = req.headers['new-api-user'];
    if (claimed === undefined || claimed === '') {
      throw ApiError.unauthorized('auth/missing-user-header', 'The New-Api-User header is required');
    }
    if (String(claimed) !== String(user.id)) {
      throw ApiError.unauthorized('auth/user-header-mismatch', 'The New-Api-User header does not match the logged-in user');
    }
    return user;
  }
}
