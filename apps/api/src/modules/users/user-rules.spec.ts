import { Role, UserStatus } from '@your-api/contracts';
import { canManageRole, describeQuota, escapeLike, passwordProblem, planManageAction, usableGroups } from './user-rules';
import { isUniqueViolation } from './unique-violation';

const common = { role: Role.Common, status: UserStatus.Enabled };
const admin = { role: Role.Admin, status: UserStatus.Enabled };
const root = { role: Role.Root, status: UserStatus.Enabled };

describe('canManageRole', () => {
  it.each([
    [Role.Root, Role.Root, true],
    [Role.Root, Role.Admin, true],
    [Role.Admin, Role.Common, true],
    [Role.Admin, Role.Admin, false],
    [Role.Admin, Role.Root, false],
    [Role.Common, Role.Common, false],
  ])('caller %i on target %i → %s', (caller, target, expected) => {
    expect(canManageRole(caller, target)).toBe(expected);
  });
});

describe('planManageAction', () => {
  it('lets an admin disable and enable a common user', () => {
    expect(planManageAction(Role.Admin, common, 'disable')).toMatchObject({ ok: true, status: UserStatus.Disabled, role: Role.Common });
    expect(planManageAction(Role.Admin, { ...common, status: UserStatus.Disabled }, 'enable')).toMatchObject({ ok: true, status: UserStatus.Enabled });
  });

  it('refuses an admin acting on another admin or on root', () => {
    for (const action of ['disable', 'delete', 'demote', 'enable'] as const) {
      expect(planManageAction(Role.Admin, admin, action)).toMatchObject({ ok: false, status: 403 });
      expect(planManageAction(Role.Admin, root, action)).toMatchObject({ ok: false, status: 403 });
    }
  });

  it('protects root from disable, delete and demote, even by root', () => {
    for (const action of ['disable', 'delete', 'demote'] as const) {
      expect(planManageAction(Role.Root, root, action)).toMatchObject({ ok: false, status: 403, code: 'user/root-protected' });
    }
  });

  it('only root promotes, and only users below admin', () => {
    expect(planManageAction(Role.Root, common, 'promote')).toMatchObject({ ok: true, role: Role.Admin });
    expect(planManageAction(Role.Admin, common, 'promote')).toMatchObject({ ok: false, status: 403, code: 'user/promote-root-only' });
    expect(planManageAction(Role.Root, admin, 'promote')).toMatchObject({ ok: false, status: 400 });
  });

  it('demotes an admin to common and rejects demoting a common user with 400', () => {
    expect(planManageAction(Role.Root, admin, 'demote')).toMatchObject({ ok: true, role: Role.Common });
    expect(planManageAction(Role.Root, common, 'demote')).toMatchObject({ ok: false, status: 400 });
  });

  it('marks delete as a soft delete', () => {
    expect(planManageAction(Role.Admin, common, 'delete')).toMatchObject({ ok: true, softDelete: true });
  });
});

describe('passwordProblem', () => {
  it('accepts 8 to 20 characters only', () => {
    expect(passwordProblem('1234567')).not.toBeNull();
    expect(passwordProblem('12345678')).toBeNull();
    expect(passwordProblem('x'.repeat(20))).toBeNull();
    expect(passwordProblem('x'.repeat(21))).not.toBeNull();
  });
});

describe('describeQuota', () => {
  it('writes dollars or points', () => {
    expect(describeQuota(250000, 500000, true)).toBe('$0.500000');
    expect(describeQuota(250000, 500000, false)).toBe('250000 quota');
  });
});

describe('usableGroups', () => {
  const ratios = { default: 1, vip: 1.5, svip: 2 };
  it('lists ratio groups that are usable, with their description', () => {
    expect(usableGroups(ratios, { default: 'Default', vip: 'VIP' })).toEqual({
      default: { ratio: 1, desc: 'Default' },
      vip: { ratio: 1.5, desc: 'VIP' },
    });
  });
  it("adds the caller's own group", () => {
    expect(usableGroups(ratios, { default: 'Default' }, 'svip')).toHaveProperty('svip', { ratio: 2, desc: 'Your group' });
  });
  it('offers auto when listed', () => {
    expect(usableGroups(ratios, { auto: 'Automatic' })).toEqual({ auto: { ratio: 'auto', desc: 'Automatic' } });
  });
});

describe('escapeLike', () => {
  it('escapes wildcards and the escape character', () => {
    expect(escapeLike('a%b_c!d')).toBe('a!%b!_c!!d');
  });
});

describe('isUniqueViolation', () => {
  it('recognises the three drivers', () => {
    expect(isUniqueViolation({ driverError: { code: 'SQLITE_CONSTRAINT_UNIQUE' } })).toBe(true);
    expect(isUniqueViolation({ code: 'ER_DUP_ENTRY', errno: 1062 })).toBe(true);
    expect(isUniqueViolation({ driverError: { code: '23505' } })).toBe(true);
    expect(isUniqueViolation({ code: 'SQLITE_BUSY' })).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
