import { Type } from 'class-transformer';
import { IsNumber, IsOptional, IsString, MaxLength, Min } from 'class-validator';

/** GET /api/data/ and /api/data/self: a time range in Unix seconds (and, for admins, a username). */
export class DataQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  start_timestamp?: number;

  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  end_timestamp?: number;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  username?: string;
}
