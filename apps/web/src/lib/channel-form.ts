/** Checks of the channel form that the API would otherwise refuse with a less precise message. */

/** A model mapping is empty or a JSON object of model name → model name. */
export function modelMappingProblem(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed) return false;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return true;
    return Object.values(parsed).some((v) => typeof v !== 'string' || v.trim() === '');
  } catch {
    return true;
  }
}

/** The `setting` JSON with `proxy` replaced (other settings such as force_format are kept). */
export function withProxy(setting: string | null | undefined, proxy: string): string {
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = setting ? JSON.parse(setting) : {};
    if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
  } catch {
    // an unreadable stored setting is replaced
  }
  if (proxy.trim()) parsed.proxy = proxy.trim();
  else delete parsed.proxy;
  return Object.keys(parsed).length ? JSON.stringify(parsed) : '';
}

export function proxyOf(setting: string | null | undefined): string {
  try {
    const value = setting ? (JSON.parse(setting) as { proxy?: unknown }) : {};
    return typeof value.proxy === 'string' ? value.proxy : '';
  } catch {
    return '';
  }
}

/** Comma- or newline-separated names, trimmed, distinct, in order. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean))];
}
