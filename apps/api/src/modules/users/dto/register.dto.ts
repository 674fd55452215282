import { IsNotEmpty, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { DISPLAY_NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_MAX_LENGTH } from '../user-rules';
import { Trim } from './trim';

export class RegisterDto {
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

  @IsOptional()
  @Trim()
  @IsString({ message: 'email must be a string' })
  @MaxLength(50, { message: 'email must be at most 50 characters' })
  email?: string;

  @IsOptional()
  @IsString({ message: 'verification_code must be a string' })
  @MaxLength(64)
  verification_code?: string;

  /** The inviter's code, not the new user's own. */
  @IsOptional()
  @Trim()
  @IsString({ message: 'aff_code must be a string' })
  @MaxLength(32)
  aff_code?: string;
}
