import { IsDefined, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class UpdateOptionDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(191)
  key!: string;

  /** New API accepts strings, booleans and numbers here and stores them as strings. */
  @IsDefined()
  value!: unknown;
}
