import { Column, DeleteDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '../columns';

/** New API `tokens` (model/token.go): relay API keys, stored without the `sk-` prefix. */
@Entity({ name: 'tokens' })
export class TokenEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('idx_tokens_user_id')
  @BigIntColumn({ default: 0 })
  user_id!: number;

  @Index('idx_tokens_key', { unique: true })
  @Column({ name: 'key', type: 'varchar', length: 128 })
  key!: string;

  @Column({ type: 'int', default: 1 })
  status!: number;

  @Index('idx_tokens_name')
  @Column({ type: 'varchar', length: 191, default: '' })
  name!: string;

  @BigIntColumn({ default: 0 })
  created_time!: number;

  @BigIntColumn({ default: 0 })
  accessed_time!: number;

  @BigIntColumn({ default: -1 })
  expired_time!: number;

  @BigIntColumn({ default: 0 })
  remain_quota!: number;

  @Column({ type: 'boolean', default: false })
  unlimited_quota!: boolean;

  @Column({ type: 'boolean', default: false })
  model_limits_enabled!: boolean;

  @Column({ type: 'text', nullable: true })
  model_limits!: string | null;

  @Column({ type: 'varchar', length: 1024, default: '' })
  allow_ips!: string;

  @BigIntColumn({ default: 0 })
  used_quota!: number;

  @Column({ name: 'group', type: 'varchar', length: 64, default: '' })
  group!: string;

  @Index('idx_tokens_deleted_at')
  @DeleteDateColumn({ nullable: true })
  deleted_at!: Date | null;
}
