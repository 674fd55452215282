import { Column, DeleteDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '../columns';

/** New API `models`: descriptions, icons, tags and vendor of a model name (or name rule). */
@Entity({ name: 'models' })
@Index('uk_model_name_delete_at', ['model_name', 'deleted_at'], { unique: true })
export class ModelMetaEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 128 })
  model_name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 128, default: '' })
  icon!: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  tags!: string;

  @Index('idx_models_vendor_id')
  @BigIntColumn({ default: 0 })
  vendor_id!: number;

  @Column({ type: 'text', nullable: true })
  endpoints!: string | null;

  @Column({ type: 'int', default: 1 })
  status!: number;

  @Column({ type: 'int', default: 1 })
  sync_official!: number;

  @BigIntColumn({ default: 0 })
  created_time!: number;

  @BigIntColumn({ default: 0 })
  updated_time!: number;

  @DeleteDateColumn({ nullable: true })
  deleted_at!: Date | null;

  @Column({ type: 'int', default: 0 })
  name_rule!: number;
}
