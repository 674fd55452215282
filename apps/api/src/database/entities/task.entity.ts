import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '../columns';

/** New API `tasks`: Suno and other async tasks. Times are Unix seconds. */
@Entity({ name: 'tasks' })
export class TaskEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('idx_tasks_created_at')
  @BigIntColumn({ default: 0 })
  created_at!: number;

  @BigIntColumn({ default: 0 })
  updated_at!: number;

  @Index('idx_tasks_task_id')
  @Column({ type: 'varchar', length: 191, default: '' })
  task_id!: string;

  @Index('idx_tasks_platform')
  @Column({ type: 'varchar', length: 30, default: '' })
  platform!: string;

  @Index('idx_tasks_user_id')
  @BigIntColumn({ default: 0 })
  user_id!: number;

  @Index('idx_tasks_channel_id')
  @BigIntColumn({ default: 0 })
  channel_id!: number;

  @BigIntColumn({ default: 0 })
  quota!: number;

  @Index('idx_tasks_action')
  @Column({ type: 'varchar', length: 40, default: '' })
  action!: string;

  @Index('idx_tasks_status')
  @Column({ type: 'varchar', length: 20, default: '' })
  status!: string;

  @Column({ type: 'text', nullable: true })
  fail_reason!: string | null;

  @Index('idx_tasks_submit_time')
  @BigIntColumn({ default: 0 })
  submit_time!: number;

  @Index('idx_tasks_start_time')
  @BigIntColumn({ default: 0 })
  start_time!: number;

  @Index('idx_tasks_finish_time')
  @BigIntColumn({ default: 0 })
  finish_time!: number;

  @Index('idx_tasks_progress')
  @Column({ type: 'varchar', length: 20, default: '' })
  progress!: string;

  @Column({ type: 'text', nullable: true })
  properties!: string | null;

  @Column({ type: 'text', nullable: true })
  data!: string | null;

  /** JSON, never shown to users ([latest]): here `{billing_source, token_id}`, for the refund of a failed task. */
  @Column({ type: 'text', nullable: true })
  private_data!: string | null;
}
