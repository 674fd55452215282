import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from './trim';

/** POST /api/user/reset: the email and token of the reset link. */
export class ResetPasswordDto {
  @Trim()
  @IsString({ message: 'email must be a string' })
  @IsNotEmpty({ message: 'email is required' })
  @MaxLength(50, { message: 'email must be at most 50 characters' })
  email!: string;

  @Trim()
  @IsString({ message: 'token must be a string' })
  @IsNotEmpty({ message: 'token is required' })
  @MaxLength(64, { message: 'token must be at most 64 characters' })
  token!: string;
}
