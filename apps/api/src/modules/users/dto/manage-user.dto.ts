import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { MANAGE_ACTIONS, type ManageAction, QUOTA_MODES, type QuotaMode } from '../user-rules';

/** POST /api/user/manage (admin). `value` and `mode` are for `add_quota` only. */
export class ManageUserDto {
  @IsInt({ message: 'id must be an integer' })
  @Min(1, { message: 'id must be positive' })
  id!: number;

  @IsIn(MANAGE_ACTIONS, { message: `action must be one of ${MANAGE_ACTIONS.join(', ')}` })
  action!: ManageAction;

  @IsOptional()
  @IsInt({ message: 'value must be an integer' })
  @Min(0, { message: 'value must not be negative' })
  @Max(Number.MAX_SAFE_INTEGER)
  value?: number;

  @IsOptional()
  @IsIn(QUOTA_MODES, { message: `mode must be one of ${QUOTA_MODES.join(', ')}` })
  mode?: QuotaMode;
}
