import { DsnError, parseDsn, sameDatabase } from './dsn';

const SQLITE_PATH = 'data/one-api.db';

describe('parseDsn', () => {
  it('uses SQLite at SQLITE_PATH when SQL_DSN is empty or New API\'s "local"', () => {
    expect(parseDsn('', SQLITE_PATH)).toEqual({ type: 'better-sqlite3', database: SQLITE_PATH });
    expect(parseDsn('   ', SQLITE_PATH)).toEqual({ type: 'better-sqlite3', database: SQLITE_PATH });
    expect(parseDsn('local', SQLITE_PATH)).toEqual({ type: 'better-sqlite3', database: SQLITE_PATH });
  });

  it('reads the Go sqlite driver parameters New API puts in SQLITE_PATH', () => {
    expect(parseDsn('', 'one-api.db?_busy_timeout=30000')).toEqual({
      type: 'better-sqlite3',
      database: 'one-api.db',
      busyTimeout: 30000,
    });
  });

  it('takes sqlite:<path> and sqlite://<path> for a second SQLite file', () => {
    expect(parseDsn('sqlite:/var/lib/logs.db', SQLITE_PATH)).toEqual({ type: 'better-sqlite3', database: '/var/lib/logs.db' });
    expect(parseDsn('sqlite:///var/lib/logs.db', SQLITE_PATH)).toEqual({ type: 'better-sqlite3', database: '/var/lib/logs.db' });
    expect(parseDsn('sqlite://logs.db', SQLITE_PATH)).toEqual({ type: 'better-sqlite3', database: 'logs.db' });
    expect(() => parseDsn('sqlite:', SQLITE_PATH, 'LOG_SQL_DSN')).toThrow(/LOG_SQL_DSN/);
  });

  it('reads the Go MySQL form with parseTime and other parameters', () => {
    expect(parseDsn('root:123456@tcp(localhost:3306)/oneapi?parseTime=true&charset=utf8mb4&loc=Asia%2FShanghai', SQLITE_PATH)).toEqual({
      type: 'mysql',
      host: 'localhost',
      port: 3306,
      username: 'root',
      password: '123456',
      database: 'oneapi',
      params: { parseTime: 'true', charset: 'utf8mb4', loc: 'Asia/Shanghai' },
    });
  });

  it('defaults host and port like the Go driver', () => {
    expect(parseDsn('root@tcp(db)/oneapi', SQLITE_PATH)).toMatchObject({ host: 'db', port: 3306, username: 'root', password: '' });
    expect(parseDsn('root:pw@/oneapi', SQLITE_PATH)).toMatchObject({ host: '127.0.0.1', port: 3306 });
    expect(parseDsn('/oneapi', SQLITE_PATH)).toMatchObject({ host: '127.0.0.1', username: '', database: 'oneapi' });
    expect(parseDsn('u:p@tcp([::1]:3307)/db', SQLITE_PATH)).toMatchObject({ host: '::1', port: 3307 });
  });

  it('keeps "@", ":" and "/" inside passwords (last "@" and first ":" split, as Go does)', () => {
    expect(parseDsn('app:p@ss:w/rd@tcp(10.0.0.5:3307)/gateway', SQLITE_PATH)).toMatchObject({
      username: 'app',
      password: 'p@ss:w/rd',
      host: '10.0.0.5',
      port: 3307,
      database: 'gateway',
    });
  });

  it('reads unix socket addresses', () => {
    expect(parseDsn('root:pw@unix(/run/mysqld/mysqld.sock)/oneapi?parseTime=true', SQLITE_PATH)).toMatchObject({
      type: 'mysql',
      socketPath: '/run/mysqld/mysqld.sock',
      username: 'root',
      password: 'pw',
      database: 'oneapi',
    });
  });

  it('reads mysql:// URLs with percent-encoded credentials', () => {
    expect(parseDsn('mysql://user:p%40ss@db.internal:3310/oneapi', SQLITE_PATH)).toMatchObject({
      type: 'mysql',
      host: 'db.internal',
      port: 3310,
      username: 'user',
      password: 'p@ss',
      database: 'oneapi',
    });
  });

  it('passes postgres:// and postgresql:// URLs through and names their database', () => {
    const url = 'postgresql://postgres:123456@localhost:5432/new-api?sslmode=disable';
    expect(parseDsn(url, SQLITE_PATH)).toEqual({ type: 'postgres', url, database: 'new-api' });
    expect(parseDsn('postgres://u:p%40ss@pg/oneapi', SQLITE_PATH)).toMatchObject({ type: 'postgres', database: 'oneapi' });
  });

  it.each([
    ['garbage', /not a valid DSN/],
    ['root:pw@tcp(localhost:3306/oneapi', /unclosed/],
    ['root:pw@tcp(localhost:3306)/', /no database/],
    ['root:pw@tcp(localhost:99999)/oneapi', /bad port/],
    ['root:pw@tcp(localhost:abc)/oneapi', /bad port/],
    ['root:pw@udp(localhost)/oneapi', /network "udp"/],
    ['root:pw@tcp(localhost)/oneapi?parseTime', /parameter without a value/],
    ['postgres://[broken', /postgres:\/\//],
    ['redis://localhost:6379/0', /unsupported scheme/],
  ])('refuses %s, naming the variable', (dsn, reason) => {
    expect(() => parseDsn(dsn, SQLITE_PATH, 'SQL_DSN')).toThrow(DsnError);
    expect(() => parseDsn(dsn, SQLITE_PATH, 'SQL_DSN')).toThrow(reason);
    expect(() => parseDsn(dsn, SQLITE_PATH, 'SQL_DSN')).toThrow(/^SQL_DSN /);
  });

  it.each(['root:Hunter2Secret@tcp(db:3306', 'root:Hunter2Secret@tcp(db:3306/x', 'root:Hunter2Secret@tcp(db:0)/x'])(
    'never repeats the password of %s in its error',
    (dsn) => {
      let message = '';
      try {
        parseDsn(dsn, SQLITE_PATH);
      } catch (error) {
        expect(error).toBeInstanceOf(DsnError);
        message = (error as Error).message;
      }
      expect(message).toMatch(/^SQL_DSN /);
      expect(message).not.toContain('Hunter2Secret');
    },
  );
});

describe('sameDatabase', () => {
  it('recognises LOG_SQL_DSN pointing at the main database', () => {
    const mysql = parseDsn('root:pw@tcp(db:3306)/oneapi', SQLITE_PATH);
    expect(sameDatabase(mysql, parseDsn('root:other@tcp(db:3306)/oneapi?parseTime=true', SQLITE_PATH))).toBe(true);
    expect(sameDatabase(mysql, parseDsn('root:pw@tcp(db:3306)/oneapi_logs', SQLITE_PATH))).toBe(false);
    expect(sameDatabase(parseDsn('', SQLITE_PATH), parseDsn('local', SQLITE_PATH))).toBe(true);
    expect(sameDatabase(parseDsn('', SQLITE_PATH), parseDsn('sqlite:/tmp/logs.db', SQLITE_PATH))).toBe(false);
    expect(sameDatabase(mysql, parseDsn('', SQLITE_PATH))).toBe(false);
  });
});
