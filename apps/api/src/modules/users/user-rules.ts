/**
 * Pure rules of user management (no Nest, no database), shared by the service and its unit tests.
 * Role numbers are New API's: 1 common, 10 admin, 100 root.
 */
import { Role, UserStatus, type UsableGroupView } from '@your-api/contracts';

export const USERNAME_MAX_LENGTH = 20;
export const DISPLAY_NAME_MAX_LENGTH = 20;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 20;

export const MANAGE_ACTIONS = ['disable', 'enable', 'delete', 'promote', 'demote', 'add_quota'] as const;
export type ManageAction = (typeof MANAGE_ACTIONS)[number];

export const QUOTA_MODES = ['add', 'subtract', 'override'] as const;
export type QuotaMode = (typeof QUOTA_MODES)[number];

/** New API canManageTargetRole: root manages everyone; others only users of a strictly lower role. */
export function canManageRole(callerRole: number, targetRole: number): boolean {
  return callerRole === Role.Root || callerRole > targetRole;
}

export type RuleFailure = { ok: false; status: 400 | 403; code: string; message: string };
export type RoleStatusChange = { ok: true; role: number; status: number; softDelete: boolean };

const deny = (code: string, message: string): RuleFailure => ({ ok: false, status: 403, code, message });
const invalid = (code: string, message: string): RuleFailure => ({ ok: false, status: 400, code, message });

/**
 * What a `POST /api/user/manage` role/status action does to its target, or why it is refused.
 * `add_quota` is not a role/status change and is handled by the caller.
 */
export function planManageAction(
  callerRole: number,
  target: { role: number; status: number },
  action: Exclude<ManageAction, 'add_quota'>,
): RoleStatusChange | RuleFailure {
  if (!canManageRole(callerRole, target.role)) {
    return deny('user/role-too-high', 'You cannot manage a user whose role is equal to or higher than yours');
  }
  const unchanged = { ok: true as const, role: target.role, status: target.status, softDelete: false };
  switch (action) {
    case 'disable':
      if (target.role === Role.Root) return deny('user/root-protected', 'The root user cannot be disabled');
      return { ...unchanged, status: UserStatus.Disabled };
    case 'enable':
      return { ...unchanged, status: UserStatus.Enabled };
    case 'delete':
      if (target.role === Role.Root) return deny('user/root-protected', 'The root user cannot be deleted');
      return { ...unchanged, softDelete: true };
    case 'promote':
      if (callerRole !== Role.Root) return deny('user/promote-root-only', 'Only the root user can promote users to admin');
      if (target.role >= Role.Admin) return invalid('user/already-admin', 'This user is already an admin');
      return { ...unchanged, role: Role.Admin };
    case 'demote':
      if (target.role === Role.Root) return deny('user/root-protected', 'The root user cannot be demoted');
      if (target.role <= Role.Common) return invalid('user/already-common', 'This user is already a common user');
      return { ...unchanged, role: Role.Common };
  }
}

/** Validates a new password against New API's length rule; returns an error message or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    return `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`;
  }
  return null;
}

/**
 * Quota as New API writes it into log texts: dollars with 6 decimals when the site displays
 * currency, otherwise the raw number of quota points.
 */
export function describeQuota(quota: number, quotaPerUnit: number, inCurrency: boolean): string {
  if (inCurrency && quotaPerUnit > 0) return `$${(quota / quotaPerUnit).toFixed(6)}`;
  return `${quota} quota`;
}

/**
 * New API GetUserGroups: the groups of GroupRatio that are listed in UserUsableGroups (plus the
 * caller's own group, which is always usable to them), and `auto` when it is offered.
 */
export function usableGroups(
  groupRatio: Record<string, number>,
  userUsableGroups: Record<string, string>,
  ownGroup?: string,
): Record<string, UsableGroupView> {
  const usable: Record<string, string> = { ...userUsableGroups };
  if (ownGroup && !Object.hasOwn(usable, ownGroup)) usable[ownGroup] = 'Your group';
  const result: Record<string, UsableGroupView> = {};
  for (const [name, ratio] of Object.entries(groupRatio)) {
    if (Object.hasOwn(usable, name)) result[name] = { ratio, desc: usable[name] };
  }
  if (Object.hasOwn(usable, 'auto')) result.auto = { ratio: 'auto', desc: usable.auto };
  return result;
}

/** Escapes LIKE wildcards with `!` (an escape character all three databases accept the same way). */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}
