import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '../columns';

/** New API `quota_data`: hourly usage rollup behind the dashboards. `created_at` is truncated to the hour. */
@Entity({ name: 'quota_data' })
@Index('idx_qdt_model_user_name', ['model_name', 'username'])
export class QuotaDataEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('idx_quota_data_user_id')
  @BigIntColumn({ default: 0 })
  user_id!: number;

  @Column({ type: 'varchar', length: 64, default: '' })
  username!: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  model_name!: string;

  @Index('idx_qdt_created_at')
  @BigIntColumn({ default: 0 })
  created_at!: number;

  @BigIntColumn({ default: 0 })
  token_used!: number;

  @BigIntColumn({ default: 0 })
  count!: number;

  @BigIntColumn({ default: 0 })
  quota!: number;
}
