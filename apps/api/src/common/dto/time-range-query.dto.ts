import { Type } from 'class-transformer';
import { IsNumber, IsOptional, Min } from 'class-validator';

/** `start_timestamp` / `end_timestamp` query parameters in Unix seconds, as New API's list routes take them. */
export class TimeRangeQueryDto {
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
}
