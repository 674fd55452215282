/**
 * Connection settings parsed from New API's SQL_DSN / LOG_SQL_DSN forms:
 *
 * - empty, or starting with `local`      → SQLite at SQLITE_PATH (New API's rule)
 * - `sqlite:<path>` or `sqlite://<path>` → SQLite at <path> (ours: lets LOG_SQL_DSN name a second SQLite file)
 * - `postgres://…` / `postgresql://…`    → PostgreSQL URL, passed to pg as is
 * - `mysql://user:pass@host:port/db`     → MySQL/MariaDB URL (ours; the test harness uses it)
 * - anything else                        → Go MySQL driver DSN `[user[:pass]@][net[(addr)]]/db[?k=v&…]`
 */
export type DatabaseTarget =
  | { type: 'better-sqlite3'; database: string; busyTimeout?: number }
  | {
      type: 'mysql';
      host: string;
      port: number;
      username: string;
      password: string;
      database: string;
      socketPath?: string;
      params: Record<string, string>;
    }
  | { type: 'postgres'; url: string; database: string };

export class DsnError extends Error {}

const MYSQL_DEFAULT_PORT = 3306;

/**
 * Go's MySQL driver DSN, read the way go-sql-driver/mysql ParseDSN reads it: the LAST `/` ends
 * the address part (passwords may contain `/`), the LAST `@` before it ends the credentials
 * (passwords may contain `@`), and the FIRST `:` splits user from password (so may the password
 * contain `:`). Nothing is percent-decoded except parameter values.
 * Example: `root:123456@tcp(localhost:3306)/oneapi?parseTime=true`.
 */
export function parseGoMysqlDsn(dsn: string, variable = 'SQL_DSN'): DatabaseTarget & { type: 'mysql' } {
  const slash = dsn.lastIndexOf('/');
  if (slash < 0) {
    throw new DsnError(`${variable} is not a valid DSN: expected user:pass@tcp(host:port)/database or postgres://…`);
  }
  const head = dsn.slice(0, slash);
  const tail = dsn.slice(slash + 1);
  const question = tail.indexOf('?');
  const database = question >= 0 ? tail.slice(0, question) : tail;
  const query = question >= 0 ? tail.slice(question + 1) : '';
  if (!database) throw new DsnError(`${variable} names no database after "/"`);

  const at = head.lastIndexOf('@');
  const credentials = at >= 0 ? head.slice(0, at) : '';
  const address = at >= 0 ? head.slice(at + 1) : head;
  const colon = credentials.indexOf(':');
  const username = colon >= 0 ? credentials.slice(0, colon) : credentials;
  const password = colon >= 0 ? credentials.slice(colon + 1) : '';

  let net = address;
  let addr = '';
  const open = address.indexOf('(');
  if (open >= 0) {
    if (!address.endsWith(')')) throw new DsnError(`${variable} has an unclosed "(" in its address "${address}"`);
    net = address.slice(0, open);
    addr = address.slice(open + 1, -1);
  }
  if (!net) net = 'tcp';

  const params: Record<string, string> = {};
  for (const pair of query ? query.split('&') : []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new DsnError(`${variable} has a parameter without a value: "${pair}"`);
    try {
      params[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      throw new DsnError(`${variable} has a badly escaped parameter: "${pair}"`);
    }
  }

  if (net === 'unix') {
    return {
      type: 'mysql',
      host: 'localhost',
      port: MYSQL_DEFAULT_PORT,
      username,
      password,
      database,
      socketPath: addr || '/tmp/mysql.sock',
      params,
    };
  }
  if (net !== 'tcp' && net !== 'tcp4' && net !== 'tcp6') {
    throw new DsnError(`${variable} uses network "${net}"; only tcp and unix are supported`);
  }
  const [host, port] = addr ? splitHostPort(addr, variable) : ['127.0.0.1', MYSQL_DEFAULT_PORT];
  return { type: 'mysql', host, port, username, password, database, params };
}

function splitHostPort(addr: string, variable: string): [string, number] {
  const bracket = /^\[(.+)\](?::(\d+))?$/.exec(addr);
  if (bracket) return [bracket[1], bracket[2] ? readPort(bracket[2], addr, variable) : MYSQL_DEFAULT_PORT];
  const i = addr.lastIndexOf(':');
  if (i < 0) return [addr, MYSQL_DEFAULT_PORT];
  if (addr.indexOf(':') !== i) return [addr, MYSQL_DEFAULT_PORT]; // bare IPv6 address
  return [addr.slice(0, i) || '127.0.0.1', readPort(addr.slice(i + 1), addr, variable)];
}

function readPort(text: string, addr: string, variable: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new DsnError(`${variable} has a bad port in "${addr}"`);
  return port;
}

/**
 * SQLITE_PATH may carry Go sqlite driver parameters (`one-api.db?_busy_timeout=30000`); the file
 * name is what comes before `?`, and `_busy_timeout` is honoured.
 */
function sqliteTarget(pathWithParams: string): DatabaseTarget {
  const question = pathWithParams.indexOf('?');
  const database = question >= 0 ? pathWithParams.slice(0, question) : pathWithParams;
  const params = new URLSearchParams(question >= 0 ? pathWithParams.slice(question + 1) : '');
  const busy = params.get('_busy_timeout') ?? params.get('_timeout');
  const target: DatabaseTarget = { type: 'better-sqlite3', database };
  if (busy !== null && /^\d+$/.test(busy)) target.busyTimeout = Number(busy);
  return target;
}

/** Reads one DSN; `variable` names it in error messages (SQL_DSN or LOG_SQL_DSN). */
export function parseDsn(dsn: string, sqlitePath: string, variable = 'SQL_DSN'): DatabaseTarget {
  const value = dsn.trim();
  if (!value || /^local/i.test(value)) return sqliteTarget(sqlitePath);
  if (/^sqlite:/i.test(value)) {
    const path = value.replace(/^sqlite:(\/\/)?/i, '');
    if (!path) throw new DsnError(`${variable} names no SQLite file after "sqlite:"`);
    return sqliteTarget(path);
  }
  if (/^postgres(ql)?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new DsnError(`${variable} is not a valid postgres:// URL`);
    }
    return { type: 'postgres', url: value, database: decodeURIComponent(url.pathname.replace(/^\//, '')) };
  }
  if (/^mysql:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new DsnError(`${variable} is not a valid mysql:// URL`);
    }
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (!database) throw new DsnError(`${variable} names no database in its path`);
    return {
      type: 'mysql',
      host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
      port: url.port ? Number(url.port) : MYSQL_DEFAULT_PORT,
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database,
      params: Object.fromEntries(url.searchParams),
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new DsnError(`${variable} uses an unsupported scheme; use postgres://, a MySQL DSN, or sqlite:<path>`);
  }
  return parseGoMysqlDsn(value, variable);
}

/** Whether two targets are the same database (LOG_SQL_DSN pointing at the main database). */
export function sameDatabase(a: DatabaseTarget, b: DatabaseTarget): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'better-sqlite3' && b.type === 'better-sqlite3') return a.database === b.database;
  if (a.type === 'postgres' && b.type === 'postgres') return a.url === b.url;
  if (a.type === 'mysql' && b.type === 'mysql') {
    return (
      a.host === b.host &&
      a.port === b.port &&
      a.socketPath === b.socketPath &&
      a.database === b.database &&
      a.username === b.username
    );
  }
  return false;
}
