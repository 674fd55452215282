import { Column, DeleteDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '../columns';

/** New API `vendors`: model vendors shown on the pricing and home pages. */
@Entity({ name: 'vendors' })
@Index('uk_vendor_name_delete_at', ['name', 'deleted_at'], { unique: true })
export class VendorMetaEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 128, default: '' })
  icon!: string;

  @Column({ type: 'int', default: 1 })
  status!: number;

  @BigIntColumn({ default: 0 })
  created_time!: number;

  @BigIntColumn({ default: 0 })
  updated_time!: number;

  @DeleteDateColumn({ nullable: true })
  deleted_at!: Date | null;
}
