import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DISPLAY_NAME_MAX_LENGTH, USERNAME_MAX_LENGTH } from '../user-rules';
import { Trim } from './trim';

/**
 * PUT /api/user/ (admin). New API's console sends the whole user object back; only the fields
 * below are editable, the rest is stripped. Absent fields stay as they are; an empty password
 * means "unchanged". `role` may only repeat the current role: roles change through /manage.
 */
export class UpdateUserDto {
  @IsInt({ message: 'id must be an integer' })
  @Min(1, { message: 'id must be positive' })
  id!: number;

  @IsOptional()
  @Trim()
  @IsString({ message: 'username must be a string' })
  @IsNotEmpty({ message: 'username must not be empty' })
  @MaxLength(USERNAME_MAX_LENGTH, { message: `username must be at most ${USERNAME_MAX_LENGTH} characters` })
  username?: string;

  @IsOptional()
  @Trim()
  @IsString({ message: 'display_name must be a string' })
  @MaxLength(DISPLAY_NAME_MAX_LENGTH, { message: `display_name must be at most ${DISPLAY_NAME_MAX_LENGTH} characters` })
  display_name?: string;

  @IsOptional()
  @IsString({ message: 'password must be a string' })
  @MaxLength(128)
  password?: string;

  @IsOptional()
  @Trim()
  @IsString({ message: 'group must be a string' })
  @IsNotEmpty({ message: 'group must not be empty' })
  @MaxLength(64, { message: 'group must be at most 64 characters' })
  group?: string;

  @IsOptional()
  @IsInt({ message: 'quota must be an integer' })
  @Min(-Number.MAX_SAFE_INTEGER)
  @Max(Number.MAX_SAFE_INTEGER)
  quota?: number;

  @IsOptional()
  @IsString({ message: 'remark must be a string' })
  @MaxLength(255, { message: 'remark must be at most 255 characters' })
  remark?: string;

  @IsOptional()
  @IsInt({ message: 'role must be an integer' })
  role?: number;
}
