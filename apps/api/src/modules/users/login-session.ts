import type { Request } from 'express';
import type { UserEntity } from '../../database/entities';

/** What a successful login answers (New API setupLogin): who is now logged in, never a secret. */
export interface LoginView {
  id: number;
  username: string;
  display_name: string;
  role: number;
  status: number;
  group: string;
}

export function toLoginView(user: UserEntity): LoginView {
  return {
    id: user.id,
    username: user.username,
    display_name: user.display_name,
    role: user.role,
    status: user.status,
    group: user.group,
  };
}

/**
 * Starts the cookie session of a user who has just proved who they are (password or a third-party
 * login). The session is replaced whole, so nothing from before the login (an OAuth state, another
 * user) survives it.
 */
export function startLoginSession(req: Request, user: UserEntity): LoginView {
  req.session = { id: user.id, username: user.username, role: user.role, status: user.status, group: user.group };
  return toLoginView(user);
}
