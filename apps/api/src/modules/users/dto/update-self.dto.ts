import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DISPLAY_NAME_MAX_LENGTH } from '../user-rules';
import { Trim } from './trim';

/** PUT /api/user/self. An empty `password` means "keep the current one" (New API's console sends it empty). */
export class UpdateSelfDto {
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
  @IsString({ message: 'original_password must be a string' })
  @MaxLength(128)
  original_password?: string;
}
