import { TokenStatus } from '@your-api/contracts';
import { IsBoolean, IsDefined, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * Editable token fields, as New API's console sends them. Ranges that depend on options are checked
 * in the service. class-validator runs decorators bottom-up, so the type check sits nearest the property.
 */
export class TokenFieldsDto {
  @IsOptional()
  @IsInt({ message: 'expired_time must be an integer (Unix seconds, or -1 for never)' })
  expired_time?: number;

  @IsOptional()
  @IsInt({ message: 'remain_quota must be an integer' })
  remain_quota?: number;

  @IsOptional()
  @IsBoolean({ message: 'unlimited_quota must be true or false' })
  unlimited_quota?: boolean;

  @IsOptional()
  @IsBoolean({ message: 'model_limits_enabled must be true or false' })
  model_limits_enabled?: boolean;

  @IsOptional()
  @MaxLength(65535, { message: 'model_limits is too long' })
  @IsString({ message: 'model_limits must be a comma-separated string' })
  model_limits?: string;

  @IsOptional()
  @MaxLength(1024, { message: 'allow_ips is too long (at most 1024 characters)' })
  @IsString({ message: 'allow_ips must be a string with one IP or CIDR per line' })
  allow_ips?: string;

  @IsOptional()
  @MaxLength(64, { message: 'group is too long (at most 64 characters)' })
  @IsString({ message: 'group must be a string' })
  group?: string;

  /** New API [latest] field for auto-group retries; accepted and ignored (no column in this schema). */
  @IsOptional()
  @IsBoolean({ message: 'cross_group_retry must be true or false' })
  cross_group_retry?: boolean;
}

export class CreateTokenDto extends TokenFieldsDto {
  @IsNotEmpty({ message: 'name is required' })
  @IsString({ message: 'name must be a string' })
  @IsDefined({ message: 'name is required' })
  name!: string;
}

export class UpdateTokenDto extends TokenFieldsDto {
  @IsInt({ message: 'id must be an integer' })
  id!: number;

  @IsOptional()
  @IsString({ message: 'name must be a string' })
  name?: string;

  @IsOptional()
  @IsIn([TokenStatus.Enabled, TokenStatus.Disabled, TokenStatus.Expired, TokenStatus.Exhausted], {
    message: 'status must be 1 (enabled), 2 (disabled), 3 (expired) or 4 (exhausted)',
  })
  status?: number;
}
