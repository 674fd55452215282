import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { TimeRangeQueryDto } from '../../../common/dto/time-range-query.dto';

/** Filters of GET /api/mj/ and /api/mj/self (New API's query names); empty values do not filter. */
export class MjQueryDto extends TimeRangeQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  channel_id?: number;

  @IsOptional()
  @IsString()
  @MaxLength(191)
  mj_id?: string;
}

/** Filters of GET /api/task/ and /api/task/self. */
export class TaskQueryDto extends TimeRangeQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  channel_id?: number;

  @IsOptional()
  @IsString()
  @MaxLength(191)
  task_id?: string;

  @IsOptional()
  @IsString()
  @MaxLength(30)
  platform?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  status?: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  action?: string;
}
