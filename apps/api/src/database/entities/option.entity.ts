import { Column, Entity, PrimaryColumn } from 'typeorm';

/** New API `options`: the key → string store of runtime settings. */
@Entity({ name: 'options' })
export class OptionEntity {
  @PrimaryColumn({ name: 'key', type: 'varchar', length: 191 })
  key!: string;

  @Column({ type: 'text', nullable: true })
  value!: string | null;
}
