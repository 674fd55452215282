import type { UserView } from '@your-api/contracts';

export type LoginUser = Pick<UserView, 'id' | 'username' | 'display_name' | 'role' | 'status' | 'group'>;

/**
 * v25.04 answers `data: {id, username, role, display_name, status, group}`;
 * later versions wrap the user as `data.user` (and may ask for 2FA).
 */
export type LoginData = Partial<LoginUser> & { user?: Partial<LoginUser>; require_2fa?: boolean };

export function pickUser(data: LoginData | undefined): LoginUser | null {
  const u = data?.user ?? data;
  if (!u || typeof u.id !== 'number') return null;
  return {
    id: u.id,
    username: u.username ?? '',
    display_name: u.display_name ?? '',
    role: u.role ?? 1,
    status: u.status ?? 1,
    group: u.group ?? '',
  };
}
