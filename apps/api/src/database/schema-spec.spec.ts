import { DataSource } from 'typeorm';
import { col, ensureTable, idx, TableSpec } from './schema-spec';

/** ensureTable on an in-memory SQLite database: GORM AutoMigrate's rules (add, never drop or alter). */
describe('ensureTable', () => {
  let dataSource: DataSource;

  const TOP_UPS: TableSpec = {
    name: 'top_ups',
    columns: [
      col.id(),
      col.bigint('user_id'),
      col.requiredVarchar('trade_no', 255),
      col.varchar('payment_method', 50),
      col.varchar('status', 32, 'pending'),
      col.text('note'),
    ],
    indices: [idx('idx_top_ups_user_id', ['user_id']), idx('idx_top_ups_trade_no', ['trade_no'], true)],
  };

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', logging: false }).initialize();
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  async function run(spec: TableSpec): Promise<void> {
    const queryRunner = dataSource.createQueryRunner();
    try {
      await ensureTable(queryRunner, spec);
    } finally {
      await queryRunner.release();
    }
  }

  it('creates a missing table with its columns and indices', async () => {
    await run(TOP_UPS);
    const table = await dataSource.createQueryRunner().getTable('top_ups');
    expect(table?.columns.map((c) => c.name)).toEqual(['id', 'user_id', 'trade_no', 'payment_method', 'status', 'note']);
    expect(table?.indices.map((i) => [i.name, i.isUnique]).sort()).toEqual([
      ['idx_top_ups_trade_no', true],
      ['idx_top_ups_user_id', false],
    ]);
  });

  it('adds missing columns (with their defaults) to an old table and keeps its rows and extra columns', async () => {
    await dataSource.query(
      'CREATE TABLE `top_ups` (`id` integer PRIMARY KEY AUTOINCREMENT,`user_id` integer,`trade_no` text,`legacy` text)',
    );
    await dataSource.query("INSERT INTO top_ups (user_id, trade_no, legacy) VALUES (7, 'T1', 'old'), (8, 'T2', 'older')");
    await run(TOP_UPS);
    const rows = await dataSource.query('SELECT id, user_id, trade_no, legacy, payment_method, status, note FROM top_ups ORDER BY id');
    expect(rows).toEqual([
      { id: 1, user_id: 7, trade_no: 'T1', legacy: 'old', payment_method: '', status: 'pending', note: null },
      { id: 2, user_id: 8, trade_no: 'T2', legacy: 'older', payment_method: '', status: 'pending', note: null },
    ]);
    const table = await dataSource.createQueryRunner().getTable('top_ups');
    expect(table?.indices.find((i) => i.name === 'idx_top_ups_trade_no')?.isUnique).toBe(true);
  });

  it('keeps rows that would break a new unique index, and indexes them without uniqueness', async () => {
    await dataSource.query('CREATE TABLE `top_ups` (`id` integer PRIMARY KEY AUTOINCREMENT,`user_id` integer,`trade_no` text)');
    await dataSource.query("INSERT INTO top_ups (user_id, trade_no) VALUES (1, 'SAME'), (2, 'SAME'), (3, NULL), (4, NULL)");
    await run(TOP_UPS);
    expect(await dataSource.query('SELECT COUNT(*) AS n FROM top_ups')).toEqual([{ n: 4 }]);
    const table = await dataSource.createQueryRunner().getTable('top_ups');
    expect(table?.indices.find((i) => i.name === 'idx_top_ups_trade_no')?.isUnique).toBe(false);
  });

  it('leaves an index alone when one of that name or shape exists, and is idempotent', async () => {
    await dataSource.query('CREATE TABLE `top_ups` (`id` integer PRIMARY KEY AUTOINCREMENT,`user_id` integer,`trade_no` text)');
    await dataSource.query('CREATE INDEX `legacy_user_idx` ON `top_ups`(`user_id`)');
    await dataSource.query('CREATE INDEX `idx_top_ups_trade_no` ON `top_ups`(`trade_no`)');
    await run(TOP_UPS);
    await run(TOP_UPS);
    const table = await dataSource.createQueryRunner().getTable('top_ups');
    expect(table?.indices.map((i) => [i.name, i.isUnique]).sort()).toEqual([
      ['idx_top_ups_trade_no', false],
      ['legacy_user_idx', false],
    ]);
    expect(table?.columns).toHaveLength(6);
  });
});
