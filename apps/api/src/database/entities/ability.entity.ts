import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { BigIntColumn } from '../columns';

/** New API `abilities` (model/ability.go): one row per (group, model, channel), the routing index. */
@Entity({ name: 'abilities' })
export class AbilityEntity {
  @PrimaryColumn({ name: 'group', type: 'varchar', length: 64 })
  group!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  model!: string;

  @Index('idx_abilities_channel_id')
  @PrimaryColumn({ type: 'int' })
  channel_id!: number;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Index('idx_abilities_priority')
  @BigIntColumn({ default: 0 })
  priority!: number;

  @Index('idx_abilities_weight')
  @BigIntColumn({ default: 0 })
  weight!: number;

  @Index('idx_abilities_tag')
  @Column({ type: 'varchar', length: 191, nullable: true })
  tag!: string | null;
}
