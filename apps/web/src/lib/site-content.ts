import type { PricingModelView } from '@your-api/contracts';

/**
 * Pure readers of the public site configuration that /api/status and /api/pricing carry
 * (New API [latest] field shapes): header navigation, announcements, model vendors, chat links.
 */

/** The header links New API's `HeaderNavModules` switches on and off. */
export const HEADER_NAV_KEYS = ['home', 'console', 'pricing', 'docs', 'about'] as const;
export type HeaderNavKey = (typeof HEADER_NAV_KEYS)[number];

/**
 * Which header links to show. `HeaderNavModules` is JSON such as
 * `{"home": true, "pricing": {"enabled": true, "requireAuth": false}, "docs": false}`; a key that
 * is missing, or a value that is not `false`/`{enabled: false}`, stays visible. Unreadable JSON
 * shows everything (New API falls back to its defaults the same way).
 */
export function headerNavVisibility(raw: unknown): Record<HeaderNavKey, boolean> {
  const visible = Object.fromEntries(HEADER_NAV_KEYS.map((key) => [key, true])) as Record<HeaderNavKey, boolean>;
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    if (!raw.trim()) return visible;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return visible;
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return visible;
  for (const key of HEADER_NAV_KEYS) {
    const value = (parsed as Record<string, unknown>)[key];
    if (value === false) visible[key] = false;
    else if (value && typeof value === 'object' && (value as { enabled?: unknown }).enabled === false) visible[key] = false;
  }
  return visible;
}

export type AnnouncementKind = 'default' | 'ongoing' | 'success' | 'warning' | 'error';

/** One entry of `console_setting.announcements` (New API: `{id, content, publishDate, type, extra}`). */
export interface Announcement {
  id: string;
  content: string;
  /** ISO date or '' when the operator gave none. */
  publishDate: string;
  type: AnnouncementKind;
  extra: string;
}

const KINDS: readonly AnnouncementKind[] = ['default', 'ongoing', 'success', 'warning', 'error'];

/**
 * The announcements to show, newest first: entries without text are dropped, unknown types read
 * as `default`, and nothing is shown when `announcements_enabled` is false.
 */
export function announcementsOf(status: Record<string, unknown> | null | undefined, limit = 10): Announcement[] {
  if (!status || status['announcements_enabled'] === false) return [];
  let list: unknown = status['announcements'];
  if (typeof list === 'string') {
    try {
      list = JSON.parse(list);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  const items: Announcement[] = [];
  list.forEach((entry: unknown, index) => {
    if (!entry || typeof entry !== 'object') return;
    const e = entry as Record<string, unknown>;
    const content = typeof e.content === 'string' ? e.content.trim() : '';
    if (!content) return;
    const type = KINDS.includes(e.type as AnnouncementKind) ? (e.type as AnnouncementKind) : 'default';
    items.push({
      id: e.id === undefined || e.id === null ? String(index) : String(e.id),
      content,
      publishDate: typeof e.publishDate === 'string' ? e.publishDate : '',
      type,
      extra: typeof e.extra === 'string' ? e.extra : '',
    });
  });
  const time = (a: Announcement) => (a.publishDate ? Date.parse(a.publishDate) || 0 : 0);
  return items.sort((a, b) => time(b) - time(a)).slice(0, limit);
}

export interface VendorSummary {
  name: string;
  models: number;
}

/** The vendors (`owner_by`) of the priced models with how many models each has, most first. */
export function vendorsOf(models: readonly Pick<PricingModelView, 'owner_by'>[]): VendorSummary[] {
  const counts = new Map<string, number>();
  for (const model of models) {
    const name = model.owner_by?.trim();
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()].map(([name, count]) => ({ name, models: count })).sort((a, b) => b.models - a.models || a.name.localeCompare(b.name));
}

export interface ChatLink {
  name: string;
  url: string;
}

/**
 * The `chats` option: New API stores `[{"<name>": "<url template>"}, …]`; a plain object
 * `{name: url}` is read the same way.
 */
export function chatLinksOf(chats: unknown): ChatLink[] {
  let value: unknown = chats;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.flatMap((item: unknown) => (item && typeof item === 'object' ? Object.entries(item as Record<string, unknown>) : []))
    : value && typeof value === 'object'
      ? Object.entries(value as Record<string, unknown>)
      : [];
  return entries.filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '').map(([name, url]) => ({ name, url: url.trim() }));
}

/**
 * A chat link with the user's key and this site's address filled in (`{key}`, `{address}`), each
 * URL-encoded. Only http(s) links are followed; anything else (javascript:, data:) gives null.
 */
export function fillChatLink(template: string, values: { key: string; address: string }): string | null {
  const url = template
    .replaceAll('{key}', encodeURIComponent(values.key))
    .replaceAll('{address}', encodeURIComponent(values.address));
  return /^https?:\/\//i.test(url) ? url : null;
}
