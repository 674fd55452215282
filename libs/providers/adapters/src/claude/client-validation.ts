import { ClientRequestError } from '@your-api/providers-core';
import { isObject, type JsonObject } from './json-guards';

/** Field checks for Claude-format client bodies; each failure names the offending field. */

export function requireObject(value: unknown, param: string | null, what: string): JsonObject {
  if (!isObject(value)) throw new ClientRequestError(`${what} must be an object`, param);
  return value;
}

export function requireString(object: JsonObject, key: string, param: string): string {
  const value = object[key];
  if (typeof value !== 'string') throw new ClientRequestError(`${param}: Field required (a string)`, param);
  return value;
}

export function requireNonEmptyString(object: JsonObject, key: string, param: string): string {
  const value = requireString(object, key, param);
  if (value.trim() === '') throw new ClientRequestError(`${param}: must not be empty`, param);
  return value;
}

export function requirePositiveInteger(object: JsonObject, key: string, param: string): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ClientRequestError(`${param}: Field required (a positive integer)`, param);
  }
  return value;
}

export function requireNonEmptyArray(object: JsonObject, key: string, param: string): unknown[] {
  const value = object[key];
  if (!Array.isArray(value) || value.length === 0) throw new ClientRequestError(`${param}: must be a non-empty array`, param);
  return value;
}

export function optionalNumber(object: JsonObject, key: string): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ClientRequestError(`${key}: must be a number`, key);
  return value;
}

export function optionalBoolean(object: JsonObject, key: string): boolean | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ClientRequestError(`${key}: must be a boolean`, key);
  return value;
}

export function optionalStringArray(object: JsonObject, key: string): string[] | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new ClientRequestError(`${key}: must be an array of strings`, key);
  }
  return value;
}

export function optionalArray(object: JsonObject, key: string): unknown[] | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new ClientRequestError(`${key}: must be an array`, key);
  return value;
}
