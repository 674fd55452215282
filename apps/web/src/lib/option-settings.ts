/**
 * The admin settings form's rules, kept apart from React so they can be unit-tested: which value a
 * field accepts, which keys a save must send, and in which order (a login method can only be
 * switched on once its client id is stored, so plain values go before switches).
 */
export type OptionFieldKind = 'text' | 'longtext' | 'int' | 'number' | 'bool' | 'json' | 'jsonList' | 'rateLimitGroups' | 'secret';

/** Why a value was refused before sending; the page turns it into a message. */
export type OptionProblem = 'int' | 'number' | 'min' | 'json' | 'jsonList' | 'rateLimitGroups';

export interface OptionRule {
  key: string;
  kind: OptionFieldKind;
  /** Smallest accepted value for int/number fields. */
  min?: number;
}

export function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

export function isJsonList(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

/** ModelRequestRateLimitGroup: {"group": [total requests, successful requests], …} of non-negative integers. */
export function isRateLimitGroups(text: string): boolean {
  if (!isJsonObject(text)) return false;
  const value = JSON.parse(text) as Record<string, unknown>;
  return Object.values(value).every(
    (limits) => Array.isArray(limits) && limits.length === 2 && limits.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0),
  );
}

/** Checks one typed value; null when it may be sent. Empty secrets are never sent, so never wrong. */
export function optionProblem(rule: OptionRule, raw: string): OptionProblem | null {
  const text = raw.trim();
  switch (rule.kind) {
    case 'int':
      if (!/^-?\d+$/.test(text)) return 'int';
      return rule.min !== undefined && Number(text) < rule.min ? 'min' : null;
    case 'number':
      if (text === '' || !Number.isFinite(Number(text))) return 'number';
      return rule.min !== undefined && Number(text) < rule.min ? 'min' : null;
    case 'json':
      return isJsonObject(text) ? null : 'json';
    case 'jsonList':
      return isJsonList(text) ? null : 'jsonList';
    case 'rateLimitGroups':
      return isRateLimitGroups(text) ? null : 'rateLimitGroups';
    default:
      return null;
  }
}

/** The value PUT /api/option/ receives: numbers and JSON normalised, text as typed. */
export function optionWireValue(rule: OptionRule, raw: string): string {
  switch (rule.kind) {
    case 'int':
    case 'number':
      return String(Number(raw.trim()));
    case 'json':
    case 'jsonList':
    case 'rateLimitGroups':
      return JSON.stringify(JSON.parse(raw));
    default:
      return raw;
  }
}

/**
 * The fields a save sends: those whose value differs from the stored one, and secrets only when
 * the admin typed a new one (the API never returns them). Switches go last, so that turning a
 * provider on comes after its client id in the same save.
 */
export function changedOptions<T extends OptionRule>(fields: readonly T[], values: Record<string, string>, saved: Record<string, string>): T[] {
  const changed = fields.filter((field) =>
    field.kind === 'secret' ? (values[field.key] ?? '').trim() !== '' : (values[field.key] ?? '') !== (saved[field.key] ?? ''),
  );
  return [...changed.filter((f) => f.kind !== 'bool'), ...changed.filter((f) => f.kind === 'bool')];
}

/** Where a provider sends the browser back after sign-in: the web app's /oauth/<provider> page. */
export function oauthCallbackUrl(serverAddress: string | undefined, origin: string, provider: 'github' | 'oidc' | 'linuxdo'): string {
  const base = (serverAddress?.trim() || origin).replace(/\/+$/, '');
  return `${base}/oauth/${provider}`;
}
