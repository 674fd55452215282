import { Module } from '@nestjs/common';
import { OptionsModule } from '../options/options.module';
import { MailService } from './mail.service';

/** Outgoing mail through the SMTP server configured in options. */
@Module({
  imports: [OptionsModule],
  providers: [MailService],
  exports: [MailService],
})
export class MailModule {}
