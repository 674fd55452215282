import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthUserSource } from '../../common/auth';
import { AbilityEntity, TokenEntity, UserEntity } from '../../database/entities';
import { LogsModule } from '../logs/logs.module';
import { OptionsModule } from '../options/options.module';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * TokenEntity (the GENERATE_DEFAULT_TOKEN key, written in the registration transaction) and
 * AbilityEntity (read-only, GET /api/user/models) are used here directly, so this module does not
 * depend on TokensModule/ChannelsModule, which depend on it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, TokenEntity, AbilityEntity]), OptionsModule, LogsModule],
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, { provide: AuthUserSource, useExisting: UsersService }],
  exports: [UsersService, AuthUserSource],
})
export class UsersModule {}
