import { DynamicModule, Global, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { buildDatabaseOptions } from './data-source-options';
import { LogEntity } from './entities';
import { withServerFlavor } from './server-flavor';

/** Injection token of the `logs` repository, wherever LOG_SQL_DSN puts that table. */
export const LOG_REPOSITORY = Symbol('LOG_REPOSITORY');
/** Injection token of the database kind ('sqlite' | 'mysql' | 'postgres') of the main database. */
export const DATABASE_KIND = Symbol('DATABASE_KIND');

/** Errors worth waiting out at start (the database container is still starting); anything else fails at once. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  '57P03', // PostgreSQL: the database system is starting up
]);

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

function dataSourceModule(options: DataSourceOptions, runMigrations: boolean, name?: string): DynamicModule {
  return TypeOrmModule.forRootAsync({
    name,
    useFactory: () => ({ ...options, name, migrationsRun: runMigrations, migrationsTransactionMode: 'each' as const }),
    dataSourceFactory: async (resolvedOptions) => new DataSource(await withServerFlavor(resolvedOptions as DataSourceOptions)),
    // TypeOrmModuleOptions (retry settings) are read from what useFactory returns.
    inject: [],
  });
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    const options = buildDatabaseOptions(config.env);
    // Only the master migrates (New API: slaves skip AutoMigrate).
    const runMigrations = config.isMaster;
    const retry = { retryAttempts: 10, retryDelay: 3000, toRetry: isTransient };
    const imports = [dataSourceModule({ ...options.main, ...retry } as DataSourceOptions, runMigrations)];
    if (options.logs) {
      imports.push(dataSourceModule({ ...options.logs, ...retry } as DataSourceOptions, runMigrations, 'logs'));
    }
    const logDataSourceToken = getDataSourceToken(options.logs ? 'logs' : undefined);
    return {
      module: DatabaseModule,
      imports,
      providers: [
        {
          provide: LOG_REPOSITORY,
          inject: [logDataSourceToken],
          useFactory: (dataSource: DataSource) => dataSource.getRepository(LogEntity),
        },
        { provide: DATABASE_KIND, useValue: options.mainKind },
      ],
      exports: [LOG_REPOSITORY, DATABASE_KIND],
    };
  }
}
