import { ClientRequestError } from '@your-api/providers-core';
import { isRecord } from './json-values';

/**
 * Field readers for Gemini client bodies. Gemini's protobuf JSON parser takes both spellings of a
 * field (`generationConfig` and `generation_config`), so every read tries camelCase, then snake_case.
 * Errors name the field by its camelCase path.
 */

export type JsonObject = Record<string, unknown>;

const snakeCase = (camelName: string): string => camelName.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** A field by its camelCase name or its snake_case twin. */
export function field(object: JsonObject, camelName: string): unknown {
  const value = object[camelName];
  return value !== undefined ? value : object[snakeCase(camelName)];
}

export function expectObject(value: unknown, param: string): JsonObject {
  if (!isRecord(value)) throw new ClientRequestError(`${param} must be an object`, param);
  return value;
}

export function optionalObject(value: unknown, param: string): JsonObject | undefined {
  return value === undefined || value === null ? undefined : expectObject(value, param);
}

export function optionalNumber(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ClientRequestError(`${param} must be a number`, param);
  return value;
}

export function optionalString(value: unknown, param: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ClientRequestError(`${param} must be a string`, param);
  return value;
}

export function expectString(value: unknown, param: string): string {
  if (typeof value !== 'string' || value === '') throw new ClientRequestError(`${param} must be a non-empty string`, param);
  return value;
}

export function optionalArray(value: unknown, param: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new ClientRequestError(`${param} must be an array`, param);
  return value;
}

export function expectNonEmptyArray(value: unknown, param: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw new ClientRequestError(`${param} must be a non-empty array`, param);
  return value;
}

export function optionalStringArray(value: unknown, param: string): string[] | undefined {
  const array = optionalArray(value, param);
  if (array === undefined) return undefined;
  return array.map((item, i) => {
    if (typeof item !== 'string') throw new ClientRequestError(`${param}[${i}] must be a string`, `${param}[${i}]`);
    return item;
  });
}
