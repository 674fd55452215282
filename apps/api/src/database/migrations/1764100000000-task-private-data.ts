import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, ensureTable } from '../schema-spec';

/**
 * `tasks.private_data` (New API latest, JSON: `{key, upstream_task_id, billing_source, token_id, …}`),
 * which the v25.04 baseline lacks. Stored as text like `properties` and `data`; added only when
 * missing, so a database written by a newer New API keeps its column.
 */
export class TaskPrivateData1764100000000 implements MigrationInterface {
  name = 'TaskPrivateData1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await ensureTable(queryRunner, { name: 'tasks', columns: [col.text('private_data')], indices: [] });
  }

  async down(): Promise<void> {
    // Never drop an operator's column (see NewApiBaseline).
  }
}
