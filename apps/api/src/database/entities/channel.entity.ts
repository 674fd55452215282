import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn, DoubleColumn } from '../columns';

/** New API `channels` (model/channel.go): upstream accounts. */
@Entity({ name: 'channels' })
export class ChannelEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int', default: 0 })
  type!: number;

  @Column({ name: 'key', type: 'text' })
  key!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  open_ai_organization!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  test_model!: string | null;

  @Column({ type: 'int', default: 1 })
  status!: number;

  @Index('idx_channels_name')
  @Column({ type: 'varchar', length: 191, default: '' })
  name!: string;

  @BigIntColumn({ default: 0 })
  weight!: number;

  @BigIntColumn({ default: 0 })
  created_time!: number;

  @BigIntColumn({ default: 0 })
  test_time!: number;

  @BigIntColumn({ default: 0 })
  response_time!: number;

  @Column({ type: 'varchar', length: 255, default: '' })
  base_url!: string;

  @Column({ type: 'text', nullable: true })
  other!: string | null;

  @DoubleColumn({ default: 0 })
  balance!: number;

  @BigIntColumn({ default: 0 })
  balance_updated_time!: number;

  @Column({ type: 'text', nullable: true })
  models!: string | null;

  @Column({ name: 'group', type: 'varchar', length: 64, default: 'default' })
  group!: string;

  @BigIntColumn({ default: 0 })
  used_quota!: number;

  @Column({ type: 'text', nullable: true })
  model_mapping!: string | null;

  @Column({ type: 'varchar', length: 1024, default: '' })
  status_code_mapping!: string;

  @BigIntColumn({ default: 0 })
  priority!: number;

  @Column({ type: 'int', default: 1 })
  auto_ban!: number;

  @Column({ type: 'text', nullable: true })
  other_info!: string | null;

  @Index('idx_channels_tag')
  @Column({ type: 'varchar', length: 191, nullable: true })
  tag!: string | null;

  @Column({ type: 'text', nullable: true })
  setting!: string | null;

  @Column({ type: 'text', nullable: true })
  param_override!: string | null;

  @Column({ type: 'text', nullable: true })
  channel_info!: string | null;
}
