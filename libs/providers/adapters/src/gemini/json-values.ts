import { randomUUID } from 'node:crypto';

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Tool-call arguments text as an object; anything that is not a JSON object becomes `{}`. */
export function parseArgumentsObject(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** A fresh id such as `call_3f2a…` or `chatcmpl-3f2a…` (Gemini sends no ids of its own for these). */
export function randomId(prefix: string): string {
  return `${prefix}${randomUUID().replace(/-/g, '')}`;
}
