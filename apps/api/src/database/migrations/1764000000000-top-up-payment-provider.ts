import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, ensureTable } from '../schema-spec';

/**
 * `top_ups.payment_provider` (New API latest: `epay`/`stripe`/…), which the v25.04 baseline lacks.
 * Added the AutoMigrate way: only when missing, so a database written by a newer New API keeps its column.
 */
export class TopUpPaymentProvider1764000000000 implements MigrationInterface {
  name = 'TopUpPaymentProvider1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The baseline created the table; ensureTable only adds what is missing.
    await ensureTable(queryRunner, { name: 'top_ups', columns: [col.varchar('payment_provider', 50)], indices: [] });
  }

  async down(): Promise<void> {
    // Never drop an operator's column (see NewApiBaseline).
  }
}
