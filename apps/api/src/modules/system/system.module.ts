import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SetupEntity, UserEntity } from '../../database/entities';
import { OAuthModule } from '../oauth/oauth.module';
import { OptionsModule } from '../options/options.module';
import { UsersModule } from '../users/users.module';
import { SystemController } from './system.controller';
import { SystemService } from './system.service';

@Module({
  imports: [TypeOrmModule.forFeature([SetupEntity, UserEntity]), OptionsModule, UsersModule, OAuthModule],
  controllers: [SystemController],
  providers: [SystemService],
  exports: [SystemService],
})
export class SystemModule {}
