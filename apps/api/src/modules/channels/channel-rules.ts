import { ChannelStatus, ChannelType } from '@your-api/contracts';

/** A row of `abilities` as the channels module writes it. */
export interface AbilityRow {
  group: string;
  model: string;
  channel_id: number;
  enabled: boolean;
  priority: number;
  weight: number;
  tag: string | null;
}

/** The channel columns abilities are derived from. */
export interface AbilitySource {
  id: number;
  models: string | null;
  group: string | null;
  status: number;
  priority: number;
  weight: number;
  tag: string | null;
}

/** Comma-separated entries, trimmed, without blanks or repeats, in their first order. */
export function splitCsv(text: string | null | undefined): string[] {
  const seen = new Set<string>();
  for (const part of (text ?? '').split(',')) {
    const entry = part.trim();
    if (entry) seen.add(entry);
  }
  return [...seen];
}

/** One ability per (group × model); `enabled` mirrors status == enabled (New API AddAbilities). */
export function abilityRowsOf(channel: AbilitySource): AbilityRow[] {
  const rows: AbilityRow[] = [];
  const tag = channel.tag ? channel.tag : null;
  for (const group of splitCsv(channel.group)) {
    for (const model of splitCsv(channel.models)) {
      rows.push({
        group,
        model,
        channel_id: channel.id,
        enabled: channel.status === ChannelStatus.Enabled,
        priority: Number(channel.priority ?? 0),
        weight: Number(channel.weight ?? 0),
        tag,
      });
    }
  }
  return rows;
}

/** Splits a list into chunks of at most `size` (SQLite caps bound parameters per statement). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Keys of a multi-line key field: one per line, trimmed, blanks dropped. */
export function splitKeys(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A type id the API knows (ChannelType), excluding 0 (unknown). */
export function isKnownChannelType(type: number): boolean {
  return type !== ChannelType.Unknown && Object.values(ChannelType).includes(type);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a JSON-object text field; returns an error message or null. Blank text is allowed (field unset). */
export function checkJsonObject(field: string, text: string): string | null {
  if (text.trim() === '') return null;
  const parsed = parseJson(text);
  if (!parsed.ok) return `${field} must be valid JSON`;
  if (!isPlainObject(parsed.value)) return `${field} must be a JSON object`;
  return null;
}

/**
 * model_mapping: a JSON object of strings `{requested: upstream}`. Chains are allowed (a→b→c) and
 * so is a model mapped to itself (a no-op); any longer cycle is refused, naming it.
 */
export function checkModelMapping(text: string): string | null {
  if (text.trim() === '') return null;
  const parsed = parseJson(text);
  if (!parsed.ok) return 'model_mapping must be valid JSON';
  if (!isPlainObject(parsed.value)) return 'model_mapping must be a JSON object of "requested model": "upstream model"';
  const mapping = parsed.value;
  for (const [from, to] of Object.entries(mapping)) {
    if (typeof to !== 'string') return `model_mapping value of "${from}" must be a string`;
  }
  const next = (model: string): string | undefined => {
    const to = mapping[model] as string | undefined;
    return to && to !== model && Object.prototype.hasOwnProperty.call(mapping, model) ? to : undefined;
  };
  for (const start of Object.keys(mapping)) {
    const path = [start];
    const seen = new Set(path);
    for (let current = next(start); current !== undefined; current = next(current)) {
      path.push(current);
      if (seen.has(current)) {
        const cycle = path.slice(path.indexOf(current));
        return `model_mapping contains a cycle: ${cycle.join(' → ')}`;
      }
      seen.add(current);
    }
  }
  return null;
}

/** status_code_mapping: a JSON object of HTTP status → HTTP status, e.g. {"429":"500"}. */
export function checkStatusCodeMapping(text: string): string | null {
  if (text.trim() === '') return null;
  const parsed = parseJson(text);
  if (!parsed.ok) return 'status_code_mapping must be valid JSON';
  if (!isPlainObject(parsed.value)) return 'status_code_mapping must be a JSON object like {"429":"500"}';
  const isCode = (value: unknown) => /^[1-5]\d\d$/.test(String(value));
  for (const [from, to] of Object.entries(parsed.value)) {
    if (!isCode(from)) return `status_code_mapping key "${from}" is not an HTTP status code`;
    if ((typeof to !== 'string' && typeof to !== 'number') || !isCode(to)) {
      return `status_code_mapping value of "${from}" must be an HTTP status code`;
    }
  }
  return null;
}

/** base_url must be an absolute http(s) URL; blank means the type's default. */
export function checkBaseUrl(text: string): string | null {
  if (text.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return 'base_url must be a valid http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'base_url must start with http:// or https://';
  return null;
}
