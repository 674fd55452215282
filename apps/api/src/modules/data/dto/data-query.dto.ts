import { IsOptional, IsString, MaxLength } from 'class-validator';
import { TimeRangeQueryDto } from '../../../common/dto/time-range-query.dto';

/** GET /api/data/ and /api/data/self: a time range in Unix seconds (and, for admins, a username). */
export class DataQueryDto extends TimeRangeQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  username?: string;
}
