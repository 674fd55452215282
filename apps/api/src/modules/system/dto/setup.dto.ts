import { IsBoolean, IsNotEmpty, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class SetupDto {
  @IsString()
  @IsNotEmpty({ message: 'username is required' })
  @MaxLength(20)
  username!: string;

  @IsString()
  @Length(8, 20, { message: 'password must be 8 to 20 characters' })
  password!: string;

  @IsString()
  confirmPassword!: string;

  @IsOptional()
  @IsBoolean()
  SelfUseModeEnabled?: boolean;

  @IsOptional()
  @IsBoolean()
  DemoSiteEnabled?: boolean;
}
