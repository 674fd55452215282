import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AllErrorsFilter } from './common/all-errors.filter';
import { ManagementAuthGuard } from './common/auth';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { BillingModule } from './modules/billing/billing.module';
import { CacheModule } from './modules/cache/cache.module';
import { ChannelsModule } from './modules/channels/channels.module';
import { DataModule } from './modules/data/data.module';
import { GroupsModule } from './modules/groups/groups.module';
import { LogsModule } from './modules/logs/logs.module';
import { OAuthModule } from './modules/oauth/oauth.module';
import { OptionsModule } from './modules/options/options.module';
import { PaymentsModule } from './modules/payments/payments.module';
import { PricingModule } from './modules/pricing/pricing.module';
import { RateLimitModule } from './modules/rate-limit/rate-limit.module';
import { RedemptionsModule } from './modules/redemptions/redemptions.module';
import { RelayModule } from './modules/relay/relay.module';
import { SystemModule } from './modules/system/system.module';
import { TasksModule } from './modules/tasks/tasks.module';
import { TokenReadModule } from './modules/token-read/token-read.module';
import { TokensModule } from './modules/tokens/tokens.module';
import { UsersModule } from './modules/users/users.module';

/** Composes config, database, common and the feature modules; owns no business rules. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(config),
        // Global: cache invalidation across nodes, used by options, users, tokens and channels.
        CacheModule,
        OptionsModule,
        // Global: per-IP limits on /api routes and the relay's per-user model request limit.
        RateLimitModule,
        // Routes are matched in registration order: the relay's (the hot path) are tried first.
        RelayModule,
        // Before UsersModule: its GET /api/user/:id would take GET /api/user/topup.
        PaymentsModule,
        UsersModule,
        OAuthModule,
        SystemModule,
        TokenReadModule,
        LogsModule,
        TokensModule,
        RedemptionsModule,
        ChannelsModule,
        DataModule,
        GroupsModule,
        PricingModule,
        BillingModule,
        TasksModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ManagementAuthGuard },
        { provide: APP_FILTER, useClass: AllErrorsFilter },
      ],
    };
  }
}
