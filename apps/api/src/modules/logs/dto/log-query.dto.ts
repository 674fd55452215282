import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { TimeRangeQueryDto } from '../../../common/dto/time-range-query.dto';
import type { LogFilter } from '../logs.repository';

/**
 * Filters of GET /api/log/, /api/log/stat and their /self variants (New API's query names).
 * The web app sends every filter, empty ones as `''` or `0`: those do not filter.
 */
export class LogQueryDto extends TimeRangeQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  type?: number;

  @IsOptional()
  @IsString()
  @MaxLength(191)
  username?: string;

  @IsOptional()
  @IsString()
  @MaxLength(191)
  token_name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(191)
  model_name?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  channel?: number;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  group?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  request_id?: string;
}

export function toLogFilter(query: LogQueryDto): LogFilter {
  return {
    type: query.type || undefined,
    startTimestamp: query.start_timestamp ? Math.floor(query.start_timestamp) : undefined,
    endTimestamp: query.end_timestamp ? Math.floor(query.end_timestamp) : undefined,
    username: query.username || undefined,
    tokenName: query.token_name || undefined,
    modelName: query.model_name || undefined,
    channelId: query.channel || undefined,
    group: query.group || undefined,
    requestId: query.request_id || undefined,
  };
}
