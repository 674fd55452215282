import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RedemptionEntity } from '../../database/entities';
import { LogsModule } from '../logs/logs.module';
import { OptionsModule } from '../options/options.module';
import { UsersModule } from '../users/users.module';
import { RedemptionsController, TopUpController } from './redemptions.controller';
import { RedemptionsRepository } from './redemptions.repository';
import { RedemptionsService } from './redemptions.service';

/** Redemption codes: the admin routes and the user's redeem (POST /api/user/topup). */
@Module({
  imports: [TypeOrmModule.forFeature([RedemptionEntity]), UsersModule, LogsModule, OptionsModule],
  controllers: [RedemptionsController, TopUpController],
  providers: [RedemptionsService, RedemptionsRepository],
})
export class RedemptionsModule {}
