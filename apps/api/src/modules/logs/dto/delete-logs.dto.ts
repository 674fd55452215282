import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';

/** DELETE /api/log/?target_timestamp=: logs created before this Unix time (seconds) go. */
export class DeleteLogsDto {
  @Type(() => Number)
  @IsInt({ message: 'target_timestamp must be a Unix timestamp in seconds' })
  @Min(1, { message: 'target_timestamp is required' })
  target_timestamp!: number;
}
