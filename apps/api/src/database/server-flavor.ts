import type { DataSourceOptions } from 'typeorm';
import type { MysqlDataSourceOptions } from 'typeorm/driver/mysql/MysqlDataSourceOptions';

/**
 * New API's MySQL DSN does not say whether the server is MySQL or MariaDB, but TypeORM must know:
 * MariaDB reports column defaults differently (quoted literals, the word NULL), and with the wrong
 * type TypeORM misreads the schema. This asks the server (`SELECT VERSION()`) and returns the
 * options with `type: 'mariadb'` when it is MariaDB. Other databases pass through unchanged.
 * Connection errors propagate, so the caller's retry (Nest's TypeOrmModule) applies to them.
 */
export async function withServerFlavor(options: DataSourceOptions): Promise<DataSourceOptions> {
  if (options.type !== 'mysql') return options;
  const version = await mysqlServerVersion(options);
  return /mariadb/i.test(version) ? ({ ...options, type: 'mariadb' } as DataSourceOptions) : options;
}

async function mysqlServerVersion(options: MysqlDataSourceOptions): Promise<string> {
   
  const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
  // No database: the server version is all we need, and a missing database is TypeORM's error to report.
  const connection = await mysql.createConnection({
    host: options.host,
    port: options.port,
    user: options.username,
    password: options.password,
    socketPath: options.socketPath,
    ssl: options.ssl as never,
    connectTimeout: 10_000,
  });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return String((rows as { version: string }[])[0]?.version ?? '');
  } finally {
    await connection.end();
  }
}
