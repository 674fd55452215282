import { IsDefined, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

/**
 * Bodies of the top-up routes. Minimums that depend on options (MinTopUp, StripeMinTopUp, a pay
 * method's own min_topup) are checked in the service. class-validator runs decorators bottom-up,
 * so the type check sits nearest the property.
 */
export class PayDto {
  @Min(1, { message: 'amount must be at least 1' })
  @IsInt({ message: 'amount must be an integer' })
  @IsDefined({ message: 'amount is required' })
  amount!: number;

  @IsOptional()
  @MaxLength(50, { message: 'payment_method is too long' })
  @IsString({ message: 'payment_method must be a string' })
  payment_method?: string;
}

export class StripePayDto extends PayDto {
  @IsOptional()
  @MaxLength(2000, { message: 'success_url is too long' })
  @IsString({ message: 'success_url must be a string' })
  success_url?: string;

  @IsOptional()
  @MaxLength(2000, { message: 'cancel_url is too long' })
  @IsString({ message: 'cancel_url must be a string' })
  cancel_url?: string;
}

export class CompleteTopUpDto {
  @MaxLength(255, { message: 'trade_no is too long' })
  @IsString({ message: 'trade_no must be a string' })
  @IsDefined({ message: 'trade_no is required' })
  trade_no!: string;
}
