import { IsOptional, IsString, MaxLength } from 'class-validator';

/** GET /api/log/search and /api/log/self/search: a log type number or the start of the content. */
export class LogSearchDto {
  @IsOptional()
  @IsString()
  @MaxLength(128)
  keyword?: string;
}
