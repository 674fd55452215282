import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { ChannelsModule } from '../channels/channels.module';
import { OptionsModule } from '../options/options.module';
import { UsersModule } from '../users/users.module';
import { PricingAccessGuard, PricingController } from './pricing.controller';
import { PricingService } from './pricing.service';

@Module({
  imports: [BillingModule, ChannelsModule, OptionsModule, UsersModule],
  controllers: [PricingController],
  providers: [PricingService, PricingAccessGuard],
})
export class PricingModule {}
