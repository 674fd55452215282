import { REDEMPTION_MAX_COUNT, RedemptionStatus } from '@your-api/contracts';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * Request bodies of the redemption routes. Ranges that depend on options (the largest quota) and on
 * the clock (expiry) are checked in the service. class-validator runs decorators bottom-up, so the
 * type check sits nearest the property.
 */
export class CreateRedemptionDto {
  @MaxLength(200, { message: 'name is too long' })
  @IsString({ message: 'name must be a string' })
  @IsDefined({ message: 'name is required' })
  name!: string;

  @Min(1, { message: 'quota must be at least 1' })
  @IsInt({ message: 'quota must be an integer (quota units)' })
  @IsDefined({ message: 'quota is required' })
  quota!: number;

  @Max(REDEMPTION_MAX_COUNT, { message: `count must be at most ${REDEMPTION_MAX_COUNT} per request` })
  @Min(1, { message: 'count must be at least 1' })
  @IsInt({ message: 'count must be an integer' })
  @IsDefined({ message: 'count is required' })
  count!: number;

  @IsOptional()
  @IsInt({ message: 'expired_time must be an integer (Unix seconds, or 0 for never)' })
  expired_time?: number;
}

export class UpdateRedemptionDto {
  @Min(1, { message: 'id must be positive' })
  @IsInt({ message: 'id must be an integer' })
  id!: number;

  @IsOptional()
  @MaxLength(200, { message: 'name is too long' })
  @IsString({ message: 'name must be a string' })
  name?: string;

  @IsOptional()
  @Min(1, { message: 'quota must be at least 1' })
  @IsInt({ message: 'quota must be an integer (quota units)' })
  quota?: number;

  @IsOptional()
  @IsInt({ message: 'expired_time must be an integer (Unix seconds, or 0 for never)' })
  expired_time?: number;

  /** 3 (used) is accepted only as the unchanged value a console sends back with the whole code. */
  @IsOptional()
  @IsIn([RedemptionStatus.Enabled, RedemptionStatus.Disabled, RedemptionStatus.Used], {
    message: 'status must be 1 (enabled) or 2 (disabled)',
  })
  status?: number;
}

export class TopUpDto {
  @MaxLength(200, { message: 'key is too long' })
  @IsString({ message: 'key must be a string' })
  @IsDefined({ message: 'Enter a redemption code' })
  key!: string;
}
