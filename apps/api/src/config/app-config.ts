import { randomBytes } from 'node:crypto';
import { DsnError, parseDsn } from '../database/dsn';
import { ENV_SCHEMA, EnvName, EnvVariable } from './env-schema';

type ValueOf<V extends EnvVariable> = V['kind'] extends 'int' | 'number'
  ? number
  : V['kind'] extends 'bool'
    ? boolean
    : string;

export type EnvValues = { readonly [K in EnvName]: ValueOf<(typeof ENV_SCHEMA)[K]> };

export class ConfigError extends Error {}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

function parseOne(name: string, spec: EnvVariable, raw: string): string | number | boolean {
  switch (spec.kind) {
    case 'string':
      return raw;
    case 'enum':
      if (!spec.values?.includes(raw)) {
        throw new ConfigError(`${name} must be one of ${spec.values?.join(', ')}, got "${shown(raw)}"`);
      }
      return raw;
    case 'bool': {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      throw new ConfigError(`${name} must be true or false, got "${shown(raw)}"`);
    }
    case 'int':
    case 'number': {
      const value = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(value) || (spec.kind === 'int' && !Number.isInteger(value))) {
        throw new ConfigError(`${name} must be ${spec.kind === 'int' ? 'an integer' : 'a number'}, got "${shown(raw)}"`);
      }
      if (spec.min !== undefined && value < spec.min) {
        throw new ConfigError(`${name} must be at least ${spec.min}, got ${value}`);
      }
      if (spec.max !== undefined && value > spec.max) {
        throw new ConfigError(`${name} must be at most ${spec.max}, got ${value}`);
      }
      return value;
    }
  }
}

/** Values are quoted in messages; keep those one line and short whatever the operator typed. */
function shown(raw: string): string {
  const flat = raw.replace(/[\r\n]+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

/**
 * Reads and validates every variable of ENV_SCHEMA; throws ConfigError naming the first bad one.
 * DSNs are parsed here too, so a garbled SQL_DSN stops the process before anything starts.
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvValues {
  const values: Record<string, string | number | boolean> = {};
  for (const [name, spec] of Object.entries(ENV_SCHEMA) as [string, EnvVariable][]) {
    const raw = env[name];
    values[name] = parseOne(name, spec, raw === undefined || raw === '' ? (spec.default ?? '') : raw);
  }
  for (const name of ['SQL_DSN', 'LOG_SQL_DSN'] as const) {
    try {
      parseDsn(String(values[name]), String(values.SQLITE_PATH), name);
    } catch (error) {
      if (error instanceof DsnError) throw new ConfigError(error.message);
      throw error;
    }
  }
  return Object.freeze(values) as unknown as EnvValues;
}

/**
 * The one typed configuration of the API. Injected everywhere; nothing else reads process.env.
 */
export class AppConfig {
  readonly env: EnvValues;
  /** Session signing secret: SESSION_SECRET, or random per process (sessions then end at restart). */
  readonly sessionSecret: string;
  readonly cryptoSecret: string;

  constructor(env: EnvValues) {
    this.env = env;
    this.sessionSecret = env.SESSION_SECRET || randomBytes(32).toString('hex');
    this.cryptoSecret = env.CRYPTO_SECRET || this.sessionSecret;
  }

  static fromProcess(): AppConfig {
    return new AppConfig(readEnv());
  }

  get isMaster(): boolean {
    return this.env.NODE_TYPE === 'master';
  }
}
