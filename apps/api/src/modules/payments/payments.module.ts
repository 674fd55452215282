import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TopUpEntity } from '../../database/entities';
import { LogsModule } from '../logs/logs.module';
import { OptionsModule } from '../options/options.module';
import { UsersModule } from '../users/users.module';
import { PaymentsController, StripeWebhookController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';

/** Online top-up: EPay and Stripe orders, their notifications, and the order lists (`top_ups`). */
@Module({
  imports: [TypeOrmModule.forFeature([TopUpEntity]), UsersModule, LogsModule, OptionsModule],
  controllers: [PaymentsController, StripeWebhookController],
  providers: [PaymentsService, PaymentsRepository],
})
export class PaymentsModule {}
