import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '../columns';

/** New API `setups`: a row marks the installation as set up. */
@Entity({ name: 'setups' })
export class SetupEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 50, default: '' })
  version!: string;

  @BigIntColumn({ default: 0 })
  initialized_at!: number;
}
