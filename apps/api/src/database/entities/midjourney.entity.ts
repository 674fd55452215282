import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '../columns';

/** New API `midjourneys`: Midjourney-Proxy tasks. Times are Unix milliseconds. */
@Entity({ name: 'midjourneys' })
export class MidjourneyEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int', default: 0 })
  code!: number;

  @Index('idx_midjourneys_user_id')
  @BigIntColumn({ default: 0 })
  user_id!: number;

  @Index('idx_midjourneys_action')
  @Column({ type: 'varchar', length: 40, default: '' })
  action!: string;

  @Index('idx_midjourneys_mj_id')
  @Column({ type: 'varchar', length: 191, default: '' })
  mj_id!: string;

  @Column({ type: 'text', nullable: true })
  prompt!: string | null;

  @Column({ type: 'text', nullable: true })
  prompt_en!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', nullable: true })
  state!: string | null;

  @Index('idx_midjourneys_submit_time')
  @BigIntColumn({ default: 0 })
  submit_time!: number;

  @Index('idx_midjourneys_start_time')
  @BigIntColumn({ default: 0 })
  start_time!: number;

  @Index('idx_midjourneys_finish_time')
  @BigIntColumn({ default: 0 })
  finish_time!: number;

  @Column({ type: 'text', nullable: true })
  image_url!: string | null;

  @Index('idx_midjourneys_status')
  @Column({ type: 'varchar', length: 20, default: '' })
  status!: string;

  @Index('idx_midjourneys_progress')
  @Column({ type: 'varchar', length: 30, default: '' })
  progress!: string;

  @Column({ type: 'text', nullable: true })
  fail_reason!: string | null;

  @BigIntColumn({ default: 0 })
  channel_id!: number;

  @BigIntColumn({ default: 0 })
  quota!: number;

  @Column({ type: 'text', nullable: true })
  buttons!: string | null;

  @Column({ type: 'text', nullable: true })
  properties!: string | null;
}
