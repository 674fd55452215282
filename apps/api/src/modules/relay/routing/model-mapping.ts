export class ModelMappingError extends Error {}

/**
 * Follows a channel's model mapping (`{"requested":"upstream"}`) through chains a→b→c.
 * A cycle is an error, as in New API (`model_mapping_contains_cycle`).
 */
export function resolveModelMapping(mapping: Readonly<Record<string, string>> | null | undefined, model: string): string {
  if (!mapping) return model;
  const seen = new Set<string>([model]);
  let current = model;
  for (;;) {
    const next = mapping[current];
    if (next === undefined || next === '' || next === current) return current;
    if (seen.has(next)) throw new ModelMappingError(`model mapping of "${model}" contains a cycle`);
    seen.add(next);
    current = next;
  }
}

/** Parses a channel's stored mapping; empty or invalid JSON maps nothing. */
export function parseModelMapping(raw: string | null | undefined): Record<string, string> | null {
  if (!raw || raw.trim() === '' || raw.trim() === '{}') return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return null;
  }
}
