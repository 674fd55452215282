import { Module } from '@nestjs/common';
import { OptionsModule } from '../options/options.module';
import { TurnstileGuard } from './turnstile.guard';
import { TurnstileService } from './turnstile.service';

/** Cloudflare Turnstile checks for the sign-in routes (used through the @TurnstileCheck() decorator). */
@Module({
  imports: [OptionsModule],
  providers: [TurnstileService, TurnstileGuard],
  exports: [TurnstileService, TurnstileGuard],
})
export class TurnstileModule {}
