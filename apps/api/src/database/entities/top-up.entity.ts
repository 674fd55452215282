import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn, DoubleColumn } from '../columns';

/** New API `top_ups`: online payment orders. `trade_no` is unique so a notification credits once. */
@Entity({ name: 'top_ups' })
export class TopUpEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('idx_top_ups_user_id')
  @BigIntColumn({ default: 0 })
  user_id!: number;

  @BigIntColumn({ default: 0 })
  amount!: number;

  @DoubleColumn({ default: 0 })
  money!: number;

  @Index('idx_top_ups_trade_no', { unique: true })
  @Column({ type: 'varchar', length: 255 })
  trade_no!: string;

  @Column({ type: 'varchar', length: 50, default: '' })
  payment_method!: string;

  /** New API latest: `epay`, `stripe`, … (added by migration TopUpPaymentProvider). */
  @Column({ type: 'varchar', length: 50, default: '' })
  payment_provider!: string;

  @BigIntColumn({ default: 0 })
  create_time!: number;

  @BigIntColumn({ default: 0 })
  complete_time!: number;

  @Column({ type: 'varchar', length: 32, default: 'pending' })
  status!: string;
}
