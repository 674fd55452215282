import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';

/**
 * Hand-written statements for the few queries on the relay's hot path (quota moves, balance reads,
 * log rows), where building each statement with TypeORM's query builder cost more CPU than the
 * database spent running it.
 */

/** The better-sqlite3 connection TypeORM uses for `dataSource`, or null on MySQL/PostgreSQL. */
export function sqliteConnectionOf(dataSource: DataSource): BetterSqlite3.Database | null {
  if (dataSource.options.type !== 'better-sqlite3') return null;
  return (dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
}

/** Prepared statements of one SQLite connection, prepared once per SQL text. */
export class SqliteStatements {
  private readonly prepared = new Map<string, BetterSqlite3.Statement>();

  constructor(readonly db: BetterSqlite3.Database) {}

  get(sql: string): BetterSqlite3.Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}

/**
 * Raw statements on MySQL/MariaDB or PostgreSQL through TypeORM's pool. SQL is written with `?`
 * placeholders (rewritten to `$1, $2, …` for PostgreSQL); write no `?` inside literals.
 */
export class ServerSql {
  private readonly postgres: boolean;
  private readonly rewritten = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {
    this.postgres = dataSource.options.type === 'postgres';
  }

  /** Runs a write; resolves with the number of rows it changed. */
  async run(sql: string, params: unknown[]): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = (await runner.query(this.dialect(sql), params, true)) as { affected?: number | null };
      return result.affected ?? 0;
    } finally {
      await runner.release();
    }
  }

  async all<T>(sql: string, params: unknown[]): Promise<T[]> {
    return (await this.dataSource.query(this.dialect(sql), params)) as T[];
  }

  private dialect(sql: string): string {
    if (!this.postgres) return sql;
    let text = this.rewritten.get(sql);
    if (text === undefined) {
      let n = 0;
      text = sql.replace(/\?/g, () => `$${++n}`);
      this.rewritten.set(sql, text);
    }
    return text;
  }
}

/**
 * INSERT of one row through prepared statements (booleans stored as 0/1, undefined fields left to
 * their defaults); for units of work that run inside SqliteWriteBatch, e.g. a credit's log row.
 */
export function sqliteInsertRow(statements: SqliteStatements, escape: (name: string) => string, table: string, row: object): void {
  const values = Object.entries(row).filter(([, value]) => value !== undefined);
  const columns = values.map(([column]) => escape(column)).join(', ');
  statements
    .get(`INSERT INTO ${escape(table)} (${columns}) VALUES (${values.map(() => '?').join(', ')})`)
    .run(...values.map(([, value]) => (typeof value === 'boolean' ? Number(value) : (value as unknown))));
}
