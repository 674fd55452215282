/** Narrowing helpers for JSON read from the wire (client bodies, upstream replies). */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(object: JsonObject, key: string): string {
  const value = object[key];
  return typeof value === 'string' ? value : '';
}

/** A token count: a finite positive number floored, anything else 0. */
export function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** Parses tool-call arguments into the object Claude's `input` must be; anything else becomes {}. */
export function parseToolInput(argumentsJson: string | undefined): JsonObject {
  if (!argumentsJson) return {};
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
