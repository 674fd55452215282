import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { Role } from '@your-api/contracts';
import { DISPLAY_NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_MAX_LENGTH } from '../user-rules';
import { Trim } from './trim';

/** POST /api/user/ (admin). */
export class CreateUserDto {
  @Trim()
  @IsString({ message: 'username must be a string' })
  @IsNotEmpty({ message: 'username is required' })
  @MaxLength(USERNAME_MAX_LENGTH, { message: `username must be at most ${USERNAME_MAX_LENGTH} characters` })
  username!: string;

  @IsString({ message: 'password must be a string' })
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, { message: `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters` })
  password!: string;

  @IsOptional()
  @Trim()
  @IsString({ message: 'display_name must be a string' })
  @MaxLength(DISPLAY_NAME_MAX_LENGTH, { message: `display_name must be at most ${DISPLAY_NAME_MAX_LENGTH} characters` })
  display_name?: string;

  /** 0 (unset in New API's console) means common. */
  @IsOptional()
  @IsInt({ message: 'role must be an integer' })
  @IsIn([0, Role.Common, Role.Admin, Role.Root], { message: 'role must be 1 (common), 10 (admin) or 100 (root)' })
  role?: number;
}
