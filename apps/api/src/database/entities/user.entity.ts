import { Column, DeleteDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BigIntColumn } from '../columns';

/** New API `users` (model/user.go). */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('idx_users_username', { unique: true })
  @Column({ type: 'varchar', length: 191 })
  username!: string;

  @Column({ type: 'varchar', length: 255 })
  password!: string;

  @Index('idx_users_display_name')
  @Column({ type: 'varchar', length: 191, default: '' })
  display_name!: string;

  @Column({ type: 'int', default: 1 })
  role!: number;

  @Column({ type: 'int', default: 1 })
  status!: number;

  @Index('idx_users_email')
  @Column({ type: 'varchar', length: 191, default: '' })
  email!: string;

  @Index('idx_users_github_id')
  @Column({ type: 'varchar', length: 191, default: '' })
  github_id!: string;

  @Index('idx_users_oidc_id')
  @Column({ type: 'varchar', length: 191, default: '' })
  oidc_id!: string;

  @Index('idx_users_wechat_id')
  @Column({ type: 'varchar', length: 191, default: '' })
  wechat_id!: string;

  @Index('idx_users_telegram_id')
  @Column({ type: 'varchar', length: 191, default: '' })
  telegram_id!: string;

  @Index('idx_users_linux_do_id')
  @Column({ type: 'varchar', length: 191, default: '' })
  linux_do_id!: string;

  @Index('idx_users_access_token', { unique: true })
  @Column({ type: 'varchar', length: 32, nullable: true })
  access_token!: string | null;

  @BigIntColumn({ default: 0 })
  quota!: number;

  @BigIntColumn({ default: 0 })
  used_quota!: number;

  @BigIntColumn({ default: 0 })
  request_count!: number;

  @Column({ name: 'group', type: 'varchar', length: 64, default: 'default' })
  group!: string;

  @Index('idx_users_aff_code', { unique: true })
  @Column({ type: 'varchar', length: 32, nullable: true })
  aff_code!: string | null;

  @BigIntColumn({ default: 0 })
  aff_count!: number;

  @BigIntColumn({ default: 0 })
  aff_quota!: number;

  @BigIntColumn({ default: 0 })
  aff_history!: number;

  @Index('idx_users_inviter_id')
  @BigIntColumn({ default: 0 })
  inviter_id!: number;

  @Index('idx_users_deleted_at')
  @DeleteDateColumn({ nullable: true })
  deleted_at!: Date | null;

  @Column({ type: 'text', nullable: true })
  setting!: string | null;

  @Column({ type: 'varchar', length: 255, default: '' })
  remark!: string;
}
