import { Column, DeleteDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '../columns';

/** New API `redemptions`: one-time quota codes. */
@Entity({ name: 'redemptions' })
export class RedemptionEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @BigIntColumn({ default: 0 })
  user_id!: number;

  @Index('idx_redemptions_key', { unique: true })
  @Column({ name: 'key', type: 'varchar', length: 32 })
  key!: string;

  @Column({ type: 'int', default: 1 })
  status!: number;

  @Index('idx_redemptions_name')
  @Column({ type: 'varchar', length: 191, default: '' })
  name!: string;

  @BigIntColumn({ default: 100 })
  quota!: number;

  @BigIntColumn({ default: 0 })
  created_time!: number;

  @BigIntColumn({ default: 0 })
  redeemed_time!: number;

  @BigIntColumn({ default: 0 })
  used_user_id!: number;

  @Index('idx_redemptions_deleted_at')
  @DeleteDateColumn({ nullable: true })
  deleted_at!: Date | null;

  @BigIntColumn({ default: 0 })
  expired_time!: number;
}
