/**
 * Pure parts of cache invalidation: the topics, the wire format of a Redis message and the reading
 * of the Redis settings. No Nest and no ioredis here, so unit tests cover them directly.
 */

/**
 * What changed. `id` narrows it (a token key digest, a user id, an option key); a message without
 * an id means "anything under this topic may have changed" (sent after a lost Redis connection).
 */
export type CacheTopic = 'token' | 'user' | 'option' | 'channels';

export interface InvalidationMessage {
  /** The publishing process, so a node skips its own echoes. */
  node: string;
  topic: CacheTopic;
  id?: string;
}

const TOPICS: ReadonlySet<string> = new Set<CacheTopic>(['token', 'user', 'option', 'channels']);

/** The pub/sub channel of a deployment (Redis pub/sub ignores database numbers, so a prefix separates deployments). */
export function invalidationChannel(prefix: string): string {
  return `${prefix || 'your-api'}:invalidate`;
}

export function encodeInvalidation(message: InvalidationMessage): string {
  return JSON.stringify(message.id === undefined ? { node: message.node, topic: message.topic } : message);
}

/** A message from the channel, or null when it is not one we understand (garbage, or a topic of a newer version). */
export function decodeInvalidation(text: string): InvalidationMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const { node, topic, id } = value as Record<string, unknown>;
  if (typeof node !== 'string' || !node || typeof topic !== 'string' || !TOPICS.has(topic)) return null;
  if (id !== undefined && typeof id !== 'string') return null;
  return id === undefined ? { node, topic: topic as CacheTopic } : { node, topic: topic as CacheTopic, id };
}

export interface RedisEndpoint {
  host: string;
  port: number;
}

/** Where to connect: one server by URL, or a sentinel group (New API / one-api: REDIS_MASTER_NAME + a host list). */
export type RedisTarget =
  | { kind: 'url'; url: string; password?: string; shown: string }
  | { kind: 'sentinel'; sentinels: RedisEndpoint[]; masterName: string; password?: string; shown: string };

export class RedisSettingError extends Error {}

const DEFAULT_SENTINEL_PORT = 26379;

/**
 * Reads REDIS_CONN_STRING / REDIS_PASSWORD / REDIS_MASTER_NAME. `shown` names the server(s) for
 * log lines and never contains a password.
 */
export function readRedisTarget(connString: string, password: string, masterName: string): RedisTarget {
  const text = connString.trim();
  if (masterName) {
    const sentinels = text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map(parseEndpoint);
    if (sentinels.length === 0) throw new RedisSettingError('REDIS_MASTER_NAME is set but REDIS_CONN_STRING lists no sentinel (host:port,host:port)');
    return {
      kind: 'sentinel',
      sentinels,
      masterName,
      password: password || undefined,
      shown: `sentinel master "${masterName}" via ${sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`,
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RedisSettingError('REDIS_CONN_STRING must be a URL such as redis://[:password@]host:6379[/db] or rediss://…');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisSettingError(`REDIS_CONN_STRING must start with redis:// or rediss://, not ${url.protocol}//`);
  }
  // A password in the URL wins; REDIS_PASSWORD fills in when the URL has none.
  const usePassword = !url.password && password ? password : undefined;
  return { kind: 'url', url: text, password: usePassword, shown: `${url.protocol}//${url.hostname}:${url.port || 6379}` };
}

function parseEndpoint(part: string): RedisEndpoint {
  // Credentials are dropped here (REDIS_PASSWORD is the sentinel-mode password), so messages never show them.
  const withoutScheme = part.replace(/^[a-z]+:\/\//i, '').replace(/^[^@]*@/, '').replace(/\/.*$/, '');
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(withoutScheme);
  if (!match) throw new RedisSettingError(`REDIS_CONN_STRING: "${withoutScheme}" is not a host:port sentinel address`);
  const port = match[2] ? Number(match[2]) : DEFAULT_SENTINEL_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RedisSettingError(`REDIS_CONN_STRING: "${withoutScheme}" has an invalid port`);
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}
