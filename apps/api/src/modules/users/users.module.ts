import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthUserSource } from '../../common/auth';
import { AbilityEntity, TokenEntity, UserEntity } from '../../database/entities';
import { LogsModule } from '../logs/logs.module';
import { MailModule } from '../mail/mail.module';
import { OptionsModule } from '../options/options.module';
import { TurnstileModule } from '../turnstile/turnstile.module';
import { AccountEmailController } from './account-email.controller';
import { AccountEmailService } from './account-email.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { VerificationCodesService } from './verification-codes.service';

/**
 * TokenEntity (the GENERATE_DEFAULT_TOKEN key, written in the registration transaction) and
 * AbilityEntity (read-only, GET /api/user/models) are used here directly, so this module does not
 * depend on TokensModule/ChannelsModule, which depend on it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, TokenEntity, AbilityEntity]), OptionsModule, LogsModule, MailModule, TurnstileModule],
  controllers: [UsersController, AccountEmailController],
  providers: [UsersService, UsersRepository, VerificationCodesService, AccountEmailService, { provide: AuthUserSource, useExisting: UsersService }],
  exports: [UsersService, AuthUserSource],
})
export class UsersModule {}
