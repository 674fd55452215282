import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from './trim';

/** POST /api/oauth/email/bind: the address and the code mailed to it. */
export class BindEmailDto {
  @Trim()
  @IsString({ message: 'email must be a string' })
  @IsNotEmpty({ message: 'email is required' })
  @MaxLength(50, { message: 'email must be at most 50 characters' })
  email!: string;

  @Trim()
  @IsString({ message: 'code must be a string' })
  @IsNotEmpty({ message: 'code is required' })
  @MaxLength(64, { message: 'code must be at most 64 characters' })
  code!: string;
}
