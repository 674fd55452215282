import { QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';

/**
 * A dialect-neutral description of a table, written once per migration and turned into
 * TypeORM schema objects for whichever database runs it.
 *
 * `ensureTable` behaves like GORM's AutoMigrate, which New API uses: it creates a missing table,
 * adds missing columns and indices to an existing one, and never drops or alters anything, so a
 * database written by New API keeps every row and every column it has.
 */
export type ColumnKind = 'int' | 'bigint' | 'varchar' | 'text' | 'boolean' | 'double' | 'deletedAt';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  length?: number;
  nullable?: boolean;
  default?: string | number | boolean;
  primary?: boolean;
  generated?: boolean;
}

export interface IndexSpec {
  name: string;
  columns: string[];
  unique?: boolean;
}

export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  indices: IndexSpec[];
}

/** Short constructors so a table reads like New API's struct. */
export const col = {
  id: (name = 'id'): ColumnSpec => ({ name, kind: 'int', primary: true, generated: true }),
  int: (name: string, def = 0): ColumnSpec => ({ name, kind: 'int', default: def }),
  bigint: (name: string, def = 0): ColumnSpec => ({ name, kind: 'bigint', default: def }),
  varchar: (name: string, length: number, def: string | null = ''): ColumnSpec =>
    def === null ? { name, kind: 'varchar', length, nullable: true } : { name, kind: 'varchar', length, default: def },
  requiredVarchar: (name: string, length: number): ColumnSpec => ({ name, kind: 'varchar', length }),
  text: (name: string): ColumnSpec => ({ name, kind: 'text', nullable: true }),
  requiredText: (name: string): ColumnSpec => ({ name, kind: 'text' }),
  bool: (name: string, def = false): ColumnSpec => ({ name, kind: 'boolean', default: def }),
  double: (name: string, def = 0): ColumnSpec => ({ name, kind: 'double', default: def }),
  deletedAt: (name = 'deleted_at'): ColumnSpec => ({ name, kind: 'deletedAt', nullable: true }),
};

export const idx = (name: string, columns: string[], unique = false): IndexSpec => ({ name, columns, unique });

function typeOf(queryRunner: QueryRunner, spec: ColumnSpec): Pick<TableColumnOptions, 'type' | 'length' | 'precision'> {
  const driver = queryRunner.connection.driver;
  const isSqlite = driver.options.type === 'better-sqlite3';
  switch (spec.kind) {
    case 'int':
      // TypeORM reads an entity's `int` as `integer` on SQLite (the only type AUTOINCREMENT accepts).
      return { type: isSqlite ? 'integer' : 'int' };
    case 'bigint':
      return { type: 'bigint' };
    case 'varchar':
      return { type: spec.kind, length: String(spec.length) };
    case 'text':
      return { type: 'text' };
    case 'boolean':
      return { type: 'boolean' };
    case 'double':
      return { type: 'double precision' };
    case 'deletedAt':
      return {
        type: String(driver.mappedDataTypes.deleteDate),
        precision: driver.mappedDataTypes.deleteDatePrecision ?? undefined,
      };
  }
}

function toTableColumn(queryRunner: QueryRunner, spec: ColumnSpec): TableColumn {
  const driver = queryRunner.connection.driver;
  const typing = typeOf(queryRunner, spec);
  const options: TableColumnOptions = {
    name: spec.name,
    ...typing,
    isNullable: spec.nullable ?? false,
    isPrimary: spec.primary ?? false,
  };
  if (spec.generated) {
    options.isGenerated = true;
    options.generationStrategy = 'increment';
  }
  if (spec.default !== undefined) {
    // Same normalisation TypeORM applies to entity defaults, so the drift check sees no difference.
    options.default = driver.normalizeDefault({ default: spec.default, type: typing.type } as unknown as ColumnMetadata);
  }
  return new TableColumn(options);
}

/** SQLite: plain `ALTER TABLE … ADD COLUMN` (as GORM does) instead of TypeORM's copy-the-whole-table rebuild. */
async function addColumn(queryRunner: QueryRunner, table: string, column: TableColumn): Promise<void> {
  const driver = queryRunner.connection.driver;
  if (driver.options.type !== 'better-sqlite3') {
    await queryRunner.addColumn(table, column);
    return;
  }
  let sql = `ALTER TABLE ${driver.escape(table)} ADD COLUMN ${driver.escape(column.name)} ${driver.createFullType(column)}`;
  if (!column.isNullable) sql += ' NOT NULL';
  if (column.default !== undefined && column.default !== null) sql += ` DEFAULT ${String(column.default)}`;
  await queryRunner.query(sql);
}

/** Rows that would break a unique index (NULLs never collide). */
async function hasDuplicates(queryRunner: QueryRunner, table: string, columns: string[]): Promise<boolean> {
  const driver = queryRunner.connection.driver;
  const list = columns.map((c) => driver.escape(c)).join(', ');
  const notNull = columns.map((c) => `${driver.escape(c)} IS NOT NULL`).join(' AND ');
  const rows: unknown[] = await queryRunner.query(
    `SELECT 1 AS duplicate FROM ${driver.escape(table)} WHERE ${notNull} GROUP BY ${list} HAVING COUNT(*) > 1 LIMIT 1`,
  );
  return rows.length > 0;
}

function warn(queryRunner: QueryRunner, message: string): void {
  queryRunner.connection.logger.log('warn', `migration: ${message}`, queryRunner);
}

export async function ensureTable(queryRunner: QueryRunner, spec: TableSpec): Promise<void> {
  const existing = await queryRunner.getTable(spec.name);
  if (!existing) {
    await queryRunner.createTable(
      new Table({
        name: spec.name,
        columns: spec.columns.map((c) => toTableColumn(queryRunner, c)),
        indices: spec.indices.map((i) => new TableIndex({ name: i.name, columnNames: i.columns, isUnique: i.unique ?? false })),
      }),
      true,
    );
    return;
  }
  const haveColumns = new Set(existing.columns.map((c) => c.name));
  for (const column of spec.columns) {
    if (!haveColumns.has(column.name)) {
      const tableColumn = toTableColumn(queryRunner, column);
      // A column added to a table that already has rows must accept them: NOT NULL needs a default.
      if (!tableColumn.isNullable && tableColumn.default === undefined) tableColumn.isNullable = true;
      await addColumn(queryRunner, spec.name, tableColumn);
    }
  }
  const refreshed = (await queryRunner.getTable(spec.name)) ?? existing;
  const haveIndexNames = new Set(refreshed.indices.map((i) => i.name));
  const haveIndexShapes = new Set(refreshed.indices.map((i) => `${i.isUnique ? 'u' : 'i'}:${i.columnNames.join(',')}`));
  const haveUniqueShapes = new Set(refreshed.uniques.map((u) => `u:${u.columnNames.join(',')}`));
  const isMysql = ['mysql', 'mariadb'].includes(queryRunner.connection.driver.options.type);
  for (const index of spec.indices) {
    const columns = index.columns.join(',');
    // A unique index on the same columns serves a plain one as well.
    const covered = [`u:${columns}`, ...(index.unique ? [] : [`i:${columns}`])];
    if (haveIndexNames.has(index.name) || covered.some((shape) => haveIndexShapes.has(shape) || haveUniqueShapes.has(shape))) {
      continue;
    }
    // An old table may hold a column as (long)text, which MySQL cannot index without a prefix length.
    const unindexable = refreshed.columns.find(
      (c) => index.columns.includes(c.name) && isMysql && /text|blob/i.test(c.type),
    );
    if (unindexable) {
      warn(queryRunner, `not indexing ${spec.name}.${unindexable.name}: its type ${unindexable.type} cannot be indexed`);
      continue;
    }
    let unique = index.unique ?? false;
    // Rows written before the index existed may repeat; keep them and index without uniqueness.
    if (unique && (await hasDuplicates(queryRunner, spec.name, index.columns))) {
      warn(queryRunner, `${spec.name}(${index.columns.join(', ')}) has duplicate values; creating ${index.name} as a plain index`);
      unique = false;
    }
    await queryRunner.createIndex(spec.name, new TableIndex({ name: index.name, columnNames: index.columns, isUnique: unique }));
  }
}
