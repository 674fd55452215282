/**
 * Who a provider says the user is, read from its user-info JSON (pure; the HTTP is in
 * oauth-providers.service.ts). A reply without a usable id is refused: it cannot be bound to anyone.
 */
export interface ExternalIdentity {
  /** What the user row stores (github_id, linux_do_id, oidc_id). */
  id: string;
  displayName: string;
  email: string;
  /** GitHub: the login, which New API v25.04 stored as github_id; such rows are moved to the numeric id. */
  legacyId?: string;
  /** LinuxDO's trust level (0 new … 4 leader). */
  trustLevel?: number;
}

type Json = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** A positive integer id given as a JSON number or a digit string. */
function numericId(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^[1-9]\d{0,19}$/.test(value)) return value;
  return '';
}

/** GET https://api.github.com/user: `{id, login, name, email}`; the numeric id is kept (logins can change). */
export function githubIdentity(user: Json): ExternalIdentity | null {
  const id = numericId(user.id);
  if (!id) return null;
  const login = text(user.login);
  return { id, displayName: text(user.name) || login, email: text(user.email), legacyId: login || undefined };
}

/** GET https://connect.linux.do/api/user: `{id, username, name, trust_level, …}`; New API refuses id 0. */
export function linuxdoIdentity(user: Json): ExternalIdentity | null {
  const id = numericId(user.id);
  if (!id) return null;
  const trustLevel = typeof user.trust_level === 'number' && Number.isFinite(user.trust_level) ? user.trust_level : 0;
  return { id, displayName: text(user.name) || text(user.username), email: text(user.email), trustLevel };
}

/** OIDC userinfo: `sub` is the id (required); the name falls back to preferred_username. */
export function oidcIdentity(claims: Json): ExternalIdentity | null {
  const sub = text(claims.sub);
  if (!sub || sub.length > 191) return null;
  return { id: sub, displayName: text(claims.name) || text(claims.preferred_username), email: text(claims.email) };
}
