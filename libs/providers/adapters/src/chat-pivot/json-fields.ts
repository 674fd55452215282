/** Narrowing helpers for JSON read from an upstream (bodies and stream events of Cohere, Dify, Coze). */
import { randomUUID } from 'node:crypto';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `object[key]` when it is a string, '' otherwise. */
export function stringField(object: JsonObject, key: string): string {
  const value = object[key];
  return typeof value === 'string' ? value : '';
}

/** `object[key]` when it is an object, {} otherwise (so chains of reads never throw). */
export function objectField(object: JsonObject, key: string): JsonObject {
  const value = object[key];
  return isObject(value) ? value : {};
}

/** A token count: a finite positive number floored, anything else 0. */
export function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** An SSE `data:` payload parsed as a JSON object, or null (keep-alives, `[DONE]`, broken JSON). */
export function parseJsonObject(text: string): JsonObject | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** A fresh id such as `chatcmpl-3f2a…`, for upstreams that send none. */
export function randomId(prefix: string): string {
  return `${prefix}${randomUUID().replace(/-/g, '')}`;
}

export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
