import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '../columns';

/** New API `logs` (model/log.go); may live in the LOG_SQL_DSN database. Append-only. */
@Entity({ name: 'logs' })
@Index('idx_created_at_id', ['created_at', 'id'])
@Index('idx_user_id_id', ['user_id', 'id'])
@Index('idx_created_at_type', ['created_at', 'type'])
@Index('index_username_model_name', ['model_name', 'username'])
export class LogEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('idx_logs_user_id')
  @BigIntColumn({ default: 0 })
  user_id!: number;

  @BigIntColumn({ default: 0 })
  created_at!: number;

  @Index('idx_logs_type')
  @Column({ type: 'int', default: 0 })
  type!: number;

  @Column({ type: 'text', nullable: true })
  content!: string | null;

  @Index('idx_logs_username')
  @Column({ type: 'varchar', length: 191, default: '' })
  username!: string;

  @Index('idx_logs_token_name')
  @Column({ type: 'varchar', length: 191, default: '' })
  token_name!: string;

  @Index('idx_logs_model_name')
  @Column({ type: 'varchar', length: 191, default: '' })
  model_name!: string;

  @BigIntColumn({ default: 0 })
  quota!: number;

  @BigIntColumn({ default: 0 })
  prompt_tokens!: number;

  @BigIntColumn({ default: 0 })
  completion_tokens!: number;

  @BigIntColumn({ default: 0 })
  use_time!: number;

  @Column({ type: 'boolean', default: false })
  is_stream!: boolean;

  @Index('idx_logs_channel_id')
  @BigIntColumn({ default: 0 })
  channel_id!: number;

  @Index('idx_logs_token_id')
  @BigIntColumn({ default: 0 })
  token_id!: number;

  @Index('idx_logs_group')
  @Column({ name: 'group', type: 'varchar', length: 64, default: '' })
  group!: string;

  @Index('idx_logs_request_id')
  @Column({ type: 'varchar', length: 64, default: '' })
  request_id!: string;

  @Column({ type: 'text', nullable: true })
  other!: string | null;
}
