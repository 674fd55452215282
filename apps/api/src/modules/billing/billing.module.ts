import { Module } from '@nestjs/common';
import { OptionsModule } from '../options/options.module';
import { BillingService } from './billing.service';
import { QuotaLedgerRepository } from './quota-ledger.repository';

@Module({
  imports: [OptionsModule],
  providers: [BillingService, QuotaLedgerRepository],
  exports: [BillingService],
})
export class BillingModule {}
