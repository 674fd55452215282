import { HttpStatus, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { LogType, type ManageUserResult, type Page, type UsableGroupView, Role, TokenStatus, UserStatus, type UserView } from '@your-api/contracts';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { ApiError } from '../../common/api-error';
import { AuthUser, AuthUserSource } from '../../common/auth';
import { PageRequest, toPage } from '../../common/paging';
import { AppConfig } from '../../config/app-config';
import { SetupEntity, TokenEntity, UserEntity } from '../../database/entities';
import { NamedLockTimeout, withNamedLock } from '../../database/named-lock';
import { CacheInvalidationBus } from '../cache/cache-invalidation-bus.service';
import { LogRecord, LogsService } from '../logs/logs.service';
import { OptionsService } from '../options/options.service';
import { hashPassword, verifyPassword } from './passwords';
import { generateAccessToken, generateAffCode, generateApiKey } from './random-keys';
import { isUniqueViolation } from './unique-violation';
import {
  canManageRole,
  describeQuota,
  DISPLAY_NAME_MAX_LENGTH,
  type ManageAction,
  passwordProblem,
  planManageAction,
  type QuotaMode,
  usableGroups,
} from './user-rules';
import { type ExternalIdField, UsersRepository } from './users.repository';
import { VerificationCodesService } from './verification-codes.service';

export const ROOT_INITIAL_QUOTA = 100_000_000;

/** Attempts at drawing a random invite code / access token before giving up (62^4 codes: collisions are rare). */
const RANDOM_CODE_ATTEMPTS = 10;

/** False for a user created by OAuth (stored with an empty password, which bcrypt never matches). */
export function hasPassword(user: UserEntity): boolean {
  return Boolean(user.password);
}

/** The JSON a user is shown as (New API's field names; never the password hash). */
export function toUserView(user: UserEntity, options: { withAccessToken?: boolean } = {}): UserView {
  const view: UserView = {
    id: user.id,
    username: user.username,
    display_name: user.display_name,
    role: user.role,
    status: user.status,
    email: user.email,
    github_id: user.github_id,
    oidc_id: user.oidc_id,
    wechat_id: user.wechat_id,
    telegram_id: user.telegram_id,
    linux_do_id: user.linux_do_id,
    quota: user.quota,
    used_quota: user.used_quota,
    request_count: user.request_count,
    group: user.group,
    aff_code: user.aff_code ?? '',
    aff_count: user.aff_count,
    aff_quota: user.aff_quota,
    aff_history_quota: user.aff_history,
    inviter_id: user.inviter_id,
    setting: user.setting ?? '',
    remark: user.remark,
  };
  if (options.withAccessToken) {
    view.access_token = user.access_token;
    view.has_password = hasPassword(user);
  }
  return view;
}

export interface RegisterInput {
  username: string;
  password: string;
  display_name?: string;
  email?: string;
  verification_code?: string;
  aff_code?: string;
}

export interface ExternalRegistration {
  field: ExternalIdField;
  externalId: string;
  /** `github` gives usernames like `github_42`. */
  usernamePrefix: string;
  displayName?: string;
  email?: string;
  /** The inviter's code, kept with the OAuth state. */
  affCode?: string;
}

export interface CreateUserInput {
  username: string;
  password: string;
  display_name?: string;
  role?: number;
}

export interface UpdateSelfInput {
  display_name?: string;
  password?: string;
  original_password?: string;
}

export interface UpdateUserInput {
  id: number;
  username?: string;
  display_name?: string;
  password?: string;
  group?: string;
  quota?: number;
  remark?: string;
  role?: number;
}

export interface ManageUserInput {
  id: number;
  action: ManageAction;
  value?: number;
  mode?: QuotaMode;
}

/**
 * Users: identity, roles, registration, invite rewards and the auth lookups the management guard
 * needs. Auth lookups are cached in memory for SYNC_FREQUENCY seconds and dropped (`forget`) on
 * every node after every write made through here (CacheInvalidationBus, topic `user`), so bans and
 * role changes apply on the user's next request.
 */
@Injectable()
export class UsersService extends AuthUserSource implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);
  private readonly authCache = new Map<number, { user: AuthUser; expires: number }>();
  /** Counts invalidations, so a row read while one arrived is not cached (it may predate the change). */
  private invalidations = 0;

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: UsersRepository,
    private readonly options: OptionsService,
    private readonly logs: LogsService,
    private readonly config: AppConfig,
    private readonly bus: CacheInvalidationBus,
    private readonly codes: VerificationCodesService,
  ) {
    super();
    // A user changed on this or another node: drop their auth data (no id: drop all, the bus may have missed some).
    bus.subscribe('user', (id) => {
      this.invalidations++;
      if (id === undefined) this.authCache.clear();
      else this.authCache.delete(Number(id));
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.isMaster) await this.createRootIfNeeded();
  }

  // ---------------------------------------------------------------- root and setup

  /** New API createRootAccountIfNeed: a database with no user gets root / 123456. */
  async createRootIfNeeded(): Promise<void> {
    const anyUser = await this.users.findOne({ where: {}, select: { id: true } });
    if (anyUser) return;
    await this.createRoot('root', '123456');
    this.logger.log('Created the root user (root / 123456): change its password after the first login');
  }

  async rootExists(): Promise<boolean> {
    return (await this.users.count({ where: { role: Role.Root } })) > 0;
  }

  /** Creates the root user (first start, or POST /api/setup) and marks the install as set up. */
  async createRoot(username: string, password: string): Promise<void> {
    const root = this.users.create({
      username,
      password: await hashPassword(password),
      display_name: 'Root User',
      role: Role.Root,
      status: UserStatus.Enabled,
      quota: ROOT_INITIAL_QUOTA,
      aff_code: generateAffCode(),
      access_token: this.config.env.INITIAL_ROOT_ACCESS_TOKEN || null,
      group: 'default',
    });
    await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(root);
      if (this.config.env.INITIAL_ROOT_TOKEN) {
        await manager.insert(TokenEntity, {
          user_id: saved.id,
          key: this.config.env.INITIAL_ROOT_TOKEN.replace(/^sk-/, ''),
          name: 'Initial root token',
          status: 1,
          created_time: Math.floor(Date.now() / 1000),
          accessed_time: Math.floor(Date.now() / 1000),
          expired_time: -1,
          unlimited_quota: true,
          remain_quota: 0,
        });
      }
      const setupCount = await manager.count(SetupEntity);
      if (setupCount === 0) {
        await manager.insert(SetupEntity, { version: 'your-api', initialized_at: Math.floor(Date.now() / 1000) });
      }
    });
  }

  // ---------------------------------------------------------------- auth lookups

  async findAuthUserById(id: number): Promise<AuthUser | null> {
    const cached = this.authCache.get(id);
    if (cached && cached.expires > Date.now()) return cached.user;
    const invalidationsBefore = this.invalidations;
    const user = await this.users.findOne({ where: { id } });
    return user ? this.remember(user, invalidationsBefore) : null;
  }

  async findAuthUserByAccessToken(accessToken: string): Promise<AuthUser | null> {
    if (accessToken.length > 64) return null;
    const invalidationsBefore = this.invalidations;
    const user = await this.users.findOne({ where: { access_token: accessToken } });
    return user ? this.remember(user, invalidationsBefore) : null;
  }

  /** Drop cached auth data of a user on every node after any (committed) change to them. */
  forget(userId: number): void {
    this.bus.publish('user', String(userId));
  }

  private remember(user: UserEntity, invalidationsBefore: number): AuthUser {
    const authUser: AuthUser = { id: user.id, username: user.username, role: user.role, status: user.status, group: user.group };
    if (invalidationsBefore === this.invalidations) {
      this.authCache.set(user.id, { user: authUser, expires: Date.now() + this.config.env.SYNC_FREQUENCY * 1000 });
    }
    return authUser;
  }

  async getById(id: number): Promise<UserEntity> {
    const user = await this.repository.findById(id);
    if (!user) throw ApiError.notFound('user/not-found', `User ${id} does not exist`);
    return user;
  }

  // ---------------------------------------------------------------- login and registration

  /** Password login by username or email (New API ValidateAndFill). Deleted users are not found. */
  async login(usernameOrEmail: string, password: string): Promise<UserEntity> {
    if (!this.options.getBool('PasswordLoginEnabled')) {
      throw ApiError.forbidden('user/password-login-disabled', 'Password login is disabled by the administrator');
    }
    const user =
      (await this.users.findOne({ where: { username: usernameOrEmail, deleted_at: IsNull() } })) ??
      (usernameOrEmail.includes('@') ? await this.users.findOne({ where: { email: usernameOrEmail } }) : null);
    // Same message for unknown user and wrong password: do not reveal which usernames exist.
    if (!user || !(await verifyPassword(password, user.password))) {
      throw ApiError.unauthorized('user/bad-credentials', 'Wrong username or password, or the user has been banned');
    }
    if (user.status !== UserStatus.Enabled) {
      throw ApiError.forbidden('user/disabled', 'This user has been banned');
    }
    return user;
  }

  /** POST /api/user/register (New API Register): options gate it; invite code rewards both sides. */
  async register(input: RegisterInput): Promise<UserEntity> {
    if (!this.options.getBool('RegisterEnabled')) {
      throw ApiError.forbidden('user/register-disabled', 'Registration is disabled by the administrator');
    }
    if (!this.options.getBool('PasswordRegisterEnabled')) {
      throw ApiError.forbidden('user/password-register-disabled', 'Registration with a password is disabled by the administrator');
    }
    const verifyEmail = this.options.getBool('EmailVerificationEnabled');
    const email = input.email?.trim() ?? '';
    if (verifyEmail && (!email || !input.verification_code?.trim())) {
      throw ApiError.badRequest('user/verification-required', 'Email verification is on: email and verification_code are required');
    }
    if (await this.repository.usernameTaken(input.username)) {
      throw ApiError.conflict('user/username-taken', 'This username is already taken');
    }
    if (verifyEmail) {
      if (await this.repository.emailTaken(email)) throw ApiError.conflict('user/email-taken', 'This email address is already in use');
      // Checked last, as it uses the code up.
      if (!(await this.codes.consume('v', email, (input.verification_code ?? '').trim().toLowerCase()))) {
        throw ApiError.badRequest('user/verification-code-invalid', 'The verification code is wrong or has expired');
      }
    }
    return this.insertSelfRegistered(
      {
        username: input.username,
        password: await hashPassword(input.password),
        display_name: input.display_name || input.username,
        // New API keeps the address only when it was verified.
        ...(verifyEmail ? { email } : {}),
      },
      input.aff_code,
    );
  }

  /**
   * The user bound to a third-party account id (GitHub, OIDC, LinuxDO, Telegram), or null. A
   * soft-deleted user is returned only when no live user has the id, so callers can say "deleted".
   */
  async findByExternalId(field: ExternalIdField, externalId: string): Promise<UserEntity | null> {
    if (!externalId) return null;
    return (await this.repository.findByExternalId(field, externalId)) ?? (await this.repository.findByExternalId(field, externalId, true));
  }

  /**
   * New API's OAuth registration: a user named `<prefix>_<max id + 1>` without a password, opened
   * like a password registration (gift, invite rewards, default token). Only `RegisterEnabled` gates it.
   *
   * The provider id column has no unique index (New API's tables have none, and existing databases
   * may hold duplicates or empty strings), so simultaneous first logins are serialized by a named
   * lock per provider id, and the id is looked up again under the lock: the later callers get the
   * user the first one created (`created: false`) instead of creating a second one.
   */
  async registerExternal(input: ExternalRegistration): Promise<{ user: UserEntity; created: boolean }> {
    if (!this.options.getBool('RegisterEnabled')) {
      throw ApiError.forbidden('user/register-disabled', 'Registration is disabled by the administrator');
    }
    return this.withExternalIdLock(input.field, input.externalId, async () => {
      const existing = await this.findByExternalId(input.field, input.externalId);
      if (existing) return { user: existing, created: false };
      return { user: await this.insertExternal(input), created: true };
    });
  }

  private async insertExternal(input: ExternalRegistration): Promise<UserEntity> {
    // The provider's email is kept when no other user has it (password login accepts emails).
    const email = input.email && input.email.length <= 50 && !(await this.repository.emailTaken(input.email)) ? input.email : '';
    for (let attempt = 1; ; attempt++) {
      const username = `${input.usernamePrefix}_${(await this.repository.maxUserId()) + attempt}`;
      try {
        return await this.insertSelfRegistered(
          {
            username,
            password: '', // no password: this user logs in through the provider (bcrypt never matches '')
            display_name: (input.displayName?.trim() || username).slice(0, DISPLAY_NAME_MAX_LENGTH),
            email,
            [input.field]: input.externalId,
          },
          input.affCode,
        );
      } catch (error) {
        // A concurrent registration took the name: try the next number.
        if (!(error instanceof ApiError && error.code === 'user/username-taken') || attempt >= RANDOM_CODE_ATTEMPTS) throw error;
      }
    }
  }

  /** Binds a third-party account id to a user; an id bound to another user (even a deleted one) is refused. */
  async bindExternalId(userId: number, field: ExternalIdField, externalId: string): Promise<UserEntity> {
    return this.withExternalIdLock(field, externalId, async () => {
      const owner = await this.findByExternalId(field, externalId);
      if (owner && owner.id !== userId) {
        throw ApiError.conflict('user/external-id-taken', 'This third-party account is already bound to another user');
      }
      const user = await this.getById(userId);
      if (user[field] === externalId) return user;
      await this.repository.update(userId, { [field]: externalId });
      this.forget(userId);
      return this.getById(userId);
    });
  }

  /** One registration or binding at a time per provider id, across processes (see named-lock.ts). */
  private async withExternalIdLock<T>(field: ExternalIdField, externalId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withNamedLock(this.dataSource, `external-id:${field}:${externalId}`, fn);
    } catch (error) {
      if (error instanceof NamedLockTimeout) {
        throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'user/busy', 'Another sign-in with this account is in progress; try again');
      }
      throw error;
    }
  }

  /**
   * Inserts a self-registered common user in group default: new-user gift, invite rewards for both
   * sides (when `affCode` names a user) and the default token, then the log lines.
   */
  private async insertSelfRegistered(values: Partial<UserEntity> & { username: string }, affCode?: string): Promise<UserEntity> {
    const inviterId = affCode ? await this.repository.findIdByAffCode(affCode) : null;
    const newUserGift = this.positiveOption('QuotaForNewUser');
    const inviteeReward = inviterId ? this.positiveOption('QuotaForInvitee') : 0;
    const inviterReward = inviterId ? this.positiveOption('QuotaForInviter') : 0;
    const withDefaultToken = this.config.env.GENERATE_DEFAULT_TOKEN;

    const user = await this.insertUser(
      {
        ...values,
        role: Role.Common,
        status: UserStatus.Enabled,
        group: 'default',
        // The invitee's reward is part of the opening balance, so it lands in the same insert.
        quota: newUserGift + inviteeReward,
        inviter_id: inviterId ?? 0,
      },
      async (manager, created) => {
        if (inviterId) await this.repository.creditInviter(inviterId, inviterReward, manager);
        if (withDefaultToken) await this.insertInitialToken(manager, created);
      },
    );
    if (inviterId) this.forget(inviterId);

    if (newUserGift > 0) await this.recordQuietly({ userId: user.id, username: user.username, type: LogType.System, content: `New user gift of ${this.quotaText(newUserGift)}` });
    if (inviteeReward > 0) await this.recordQuietly({ userId: user.id, username: user.username, type: LogType.System, content: `Invite code reward of ${this.quotaText(inviteeReward)}` });
    if (inviterId && inviterReward > 0) {
      await this.recordQuietly({ userId: inviterId, type: LogType.System, content: `Reward of ${this.quotaText(inviterReward)} for inviting user ${user.username}` });
    }
    return user;
  }

  /** New API GENERATE_DEFAULT_TOKEN: an unlimited, never-expiring key for each registered user. */
  private async insertInitialToken(manager: EntityManager, user: UserEntity): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    await manager.insert(TokenEntity, {
      user_id: user.id,
      key: generateApiKey(),
      name: `${user.username}'s initial token`,
      status: TokenStatus.Enabled,
      created_time: now,
      accessed_time: now,
      expired_time: -1,
      remain_quota: 0,
      unlimited_quota: true,
      model_limits_enabled: false,
      model_limits: '',
      allow_ips: '',
      used_quota: 0,
      group: '',
    });
  }

  /**
   * Inserts a user with a fresh invite code, and whatever `afterInsert` adds, in one transaction.
   * A unique clash on the invite code (or a generated key) retries with new random values; one on
   * the username means a concurrent registration won, reported as 409.
   */
  private async insertUser(
    values: Partial<UserEntity> & { username: string },
    afterInsert?: (manager: EntityManager, user: UserEntity) => Promise<void>,
  ): Promise<UserEntity> {
    for (let attempt = 1; ; attempt++) {
      const affCode = await this.unusedAffCode();
      try {
        return await this.dataSource.transaction(async (manager) => {
          const user = await this.repository.insert({ ...values, aff_code: affCode }, manager);
          if (afterInsert) await afterInsert(manager, user);
          return user;
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (await this.repository.usernameTaken(values.username)) {
          throw ApiError.conflict('user/username-taken', 'This username is already taken');
        }
        if (attempt >= RANDOM_CODE_ATTEMPTS) throw error;
      }
    }
  }

  private async unusedAffCode(): Promise<string> {
    for (let attempt = 0; attempt < RANDOM_CODE_ATTEMPTS; attempt++) {
      const code = generateAffCode();
      if (!(await this.repository.affCodeTaken(code))) return code;
    }
    throw new Error('Could not draw an unused invite code');
  }

  // ---------------------------------------------------------------- self service

  async updateSelf(userId: number, input: UpdateSelfInput): Promise<UserEntity> {
    const user = await this.getById(userId);
    const changes: Partial<UserEntity> = {};
    // Empty fields mean "unchanged": New API's console sends the whole form back.
    if (input.display_name) changes.display_name = input.display_name;
    if (input.password) {
      const problem = passwordProblem(input.password);
      if (problem) throw ApiError.badRequest('user/invalid-password', problem);
      // A user created by OAuth has no password to confirm: they may set a first one without it.
      if (hasPassword(user)) {
        if (!input.original_password) {
          throw ApiError.badRequest('user/original-password-required', 'original_password is required to change the password');
        }
        if (!(await verifyPassword(input.original_password, user.password))) {
          throw ApiError.badRequest('user/original-password-wrong', 'The original password is wrong');
        }
      }
      changes.password = await hashPassword(input.password);
    }
    await this.repository.update(userId, changes);
    this.forget(userId);
    return this.getById(userId);
  }

  /** DELETE /api/user/self: a soft delete; root cannot leave. */
  async deleteSelf(caller: AuthUser): Promise<void> {
    const user = await this.getById(caller.id);
    if (user.role === Role.Root) throw ApiError.forbidden('user/root-protected', 'The root user cannot be deleted');
    await this.repository.softDelete(user.id);
    this.forget(user.id);
  }

  /** GET /api/user/token: a new management access token replaces the old one at once. */
  async regenerateAccessToken(userId: number): Promise<string> {
    await this.getById(userId);
    for (let attempt = 1; ; attempt++) {
      const token = generateAccessToken();
      try {
        await this.repository.update(userId, { access_token: token });
        this.forget(userId);
        return token;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= RANDOM_CODE_ATTEMPTS) throw error;
      }
    }
  }

  /** GET /api/user/aff: the user's own invite code, created on first use for users that have none. */
  async getOrCreateAffCode(userId: number): Promise<string> {
    const user = await this.getById(userId);
    if (user.aff_code) return user.aff_code;
    for (let attempt = 1; ; attempt++) {
      const code = await this.unusedAffCode();
      try {
        if (await this.repository.setAffCodeIfMissing(userId, code)) return code;
        // A concurrent request set one first: use theirs.
        return (await this.getById(userId)).aff_code ?? code;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= RANDOM_CODE_ATTEMPTS) throw error;
      }
    }
  }

  /** POST /api/user/aff_transfer: invite rewards → balance, at least QuotaPerUnit, in one guarded update. */
  async transferAffQuota(userId: number, quota: number): Promise<void> {
    const quotaPerUnit = this.options.getNumber('QuotaPerUnit');
    if (quota < quotaPerUnit) {
      throw ApiError.badRequest('user/aff-transfer-too-small', `The minimum transfer is ${this.quotaText(quotaPerUnit)} (${quotaPerUnit} quota)`);
    }
    if (!(await this.repository.transferAffQuota(userId, quota))) {
      throw ApiError.badRequest('user/aff-quota-insufficient', 'Not enough invite rewards to transfer that much');
    }
    this.forget(userId);
  }

  /** Usable groups `{name: {ratio, desc}}`; with `ownGroup`, that group is included too. */
  usableGroups(ownGroup?: string): Record<string, UsableGroupView> {
    return usableGroups(
      this.options.getJson<Record<string, number> | null>('GroupRatio') ?? {},
      this.options.getJson<Record<string, string> | null>('UserUsableGroups') ?? {},
      ownGroup,
    );
  }

  /**
   * GET /api/user/models: models with an enabled ability in the groups the user may use
   * (UserUsableGroups plus their own group), or in `group` only when given and usable.
   */
  async modelsForUser(userId: number, group?: string): Promise<string[]> {
    const user = await this.getById(userId);
    const usable = new Set(Object.keys(this.options.getJson<Record<string, string> | null>('UserUsableGroups') ?? {}));
    usable.add(user.group);
    usable.delete('auto');
    const groups = group ? (usable.has(group) ? [group] : []) : [...usable];
    return this.repository.enabledModelsOfGroups(groups);
  }

  // ---------------------------------------------------------------- administration

  async list(page: PageRequest): Promise<Page<UserView>> {
    const [items, total] = await this.repository.listPage(page.offset, page.pageSize);
    return toPage(page, items.map((user) => toUserView(user)), total);
  }

  async search(keyword: string, group: string, page: PageRequest): Promise<Page<UserView>> {
    const [items, total] = await this.repository.search(keyword.trim(), group.trim(), page.offset, page.pageSize);
    return toPage(page, items.map((user) => toUserView(user)), total);
  }

  /** A user an admin may manage (role below theirs; root manages all), else 404 / 403. */
  async getManageable(caller: AuthUser, id: number): Promise<UserEntity> {
    const user = await this.getById(id);
    if (!canManageRole(caller.role, user.role)) {
      throw ApiError.forbidden('user/role-too-high', 'You cannot manage a user whose role is equal to or higher than yours');
    }
    return user;
  }

  /** POST /api/user/ (admin): role must be below the caller's own. */
  async createByAdmin(caller: AuthUser, input: CreateUserInput): Promise<UserEntity> {
    const role = input.role || Role.Common;
    if (role >= caller.role) {
      throw ApiError.forbidden('user/role-too-high', 'You cannot create a user with a role equal to or higher than yours');
    }
    if (await this.repository.usernameTaken(input.username)) {
      throw ApiError.conflict('user/username-taken', 'This username is already taken');
    }
    const gift = this.positiveOption('QuotaForNewUser');
    const user = await this.insertUser({
      username: input.username,
      password: await hashPassword(input.password),
      display_name: input.display_name || input.username,
      role,
      status: UserStatus.Enabled,
      group: 'default',
      quota: gift,
    });
    if (gift > 0) await this.recordQuietly({ userId: user.id, username: user.username, type: LogType.System, content: `New user gift of ${this.quotaText(gift)}` });
    return user;
  }

  /** PUT /api/user/ (admin): only the fields present change; a quota change is logged (old → new). */
  async updateByAdmin(caller: AuthUser, input: UpdateUserInput): Promise<UserEntity> {
    const target = await this.getManageable(caller, input.id);
    if (input.role !== undefined && input.role !== 0 && input.role !== target.role) {
      throw ApiError.badRequest('user/role-change-not-here', 'Roles change through POST /api/user/manage (promote / demote)');
    }
    const changes: Partial<UserEntity> = {};
    if (input.username !== undefined && input.username !== target.username) {
      if (await this.repository.usernameTaken(input.username, target.id)) {
        throw ApiError.conflict('user/username-taken', 'This username is already taken');
      }
      changes.username = input.username;
    }
    if (input.display_name !== undefined) changes.display_name = input.display_name;
    if (input.group !== undefined) changes.group = input.group;
    if (input.remark !== undefined) changes.remark = input.remark;
    if (input.password) {
      const problem = passwordProblem(input.password);
      if (problem) throw ApiError.badRequest('user/invalid-password', problem);
      changes.password = await hashPassword(input.password);
    }
    // The console sends back the quota it loaded: only a different value is an admin's change.
    const quotaChanged = input.quota !== undefined && input.quota !== target.quota;
    if (quotaChanged) changes.quota = input.quota;
    try {
      await this.repository.update(target.id, changes);
    } catch (error) {
      if (isUniqueViolation(error)) throw ApiError.conflict('user/username-taken', 'This username is already taken');
      throw error;
    }
    this.forget(target.id);
    if (quotaChanged) {
      await this.recordQuietly({
        userId: target.id,
        username: changes.username ?? target.username,
        type: LogType.Manage,
        content: `Administrator ${caller.username} changed the quota from ${this.quotaText(target.quota)} to ${this.quotaText(input.quota ?? 0)}`,
      });
    }
    return this.getById(target.id);
  }

  /** DELETE /api/user/:id (admin): a soft delete, so the row (and its history) stays. */
  async deleteByAdmin(caller: AuthUser, id: number): Promise<void> {
    const plan = planManageAction(caller.role, await this.getById(id), 'delete');
    if (!plan.ok) throw new ApiError(plan.status, plan.code, plan.message);
    await this.repository.softDelete(id);
    this.forget(id);
  }

  /** POST /api/user/manage (admin). Returns the target's role and status afterwards. */
  async manage(caller: AuthUser, input: ManageUserInput): Promise<ManageUserResult> {
    const target = await this.getById(input.id);
    if (input.action === 'add_quota') return this.adjustQuota(caller, target, input);
    const plan = planManageAction(caller.role, target, input.action);
    if (!plan.ok) throw new ApiError(plan.status, plan.code, plan.message);
    if (plan.softDelete) await this.repository.softDelete(target.id);
    else await this.repository.update(target.id, { role: plan.role, status: plan.status });
    this.forget(target.id);
    return { role: plan.role, status: plan.status };
  }

  /** New API's `add_quota` action: add / subtract as atomic increments, override as a set; all logged. */
  private async adjustQuota(caller: AuthUser, target: UserEntity, input: ManageUserInput): Promise<ManageUserResult> {
    if (!canManageRole(caller.role, target.role)) {
      throw ApiError.forbidden('user/role-too-high', 'You cannot manage a user whose role is equal to or higher than yours');
    }
    const value = input.value;
    if (!input.mode || value === undefined) throw ApiError.badRequest('user/quota-change-invalid', 'add_quota needs mode (add, subtract or override) and value');
    let content: string;
    switch (input.mode) {
      case 'add':
      case 'subtract':
        if (value <= 0) throw ApiError.badRequest('user/quota-change-invalid', 'value must be positive');
        await this.repository.addQuota(target.id, input.mode === 'add' ? value : -value);
        content = `Administrator ${caller.username} ${input.mode === 'add' ? 'added' : 'subtracted'} ${this.quotaText(value)}`;
        break;
      case 'override':
        await this.repository.update(target.id, { quota: value });
        content = `Administrator ${caller.username} changed the quota from ${this.quotaText(target.quota)} to ${this.quotaText(value)}`;
        break;
    }
    this.forget(target.id);
    await this.recordQuietly({ userId: target.id, username: target.username, type: LogType.Manage, content });
    const updated = await this.getById(target.id);
    return { role: updated.role, status: updated.status, quota: updated.quota };
  }

  // ---------------------------------------------------------------- helpers

  private positiveOption(key: string): number {
    return Math.max(0, Math.trunc(this.options.getNumber(key)));
  }

  private quotaText(quota: number): string {
    return describeQuota(quota, this.options.getNumber('QuotaPerUnit'), this.options.getBool('DisplayInCurrencyEnabled'));
  }

  /** Logs are written after the change committed; a failing log must not turn a done change into an error. */
  private async recordQuietly(entry: LogRecord): Promise<void> {
    try {
      await this.logs.record(entry);
    } catch (error) {
      this.logger.warn(`could not write log for user ${entry.userId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
