import { IsInt, Max, Min } from 'class-validator';

/** POST /api/user/aff_transfer: quota points to move from the invite rewards to the balance. */
export class AffTransferDto {
  @IsInt({ message: 'quota must be an integer' })
  @Min(1, { message: 'quota must be positive' })
  @Max(Number.MAX_SAFE_INTEGER)
  quota!: number;
}
