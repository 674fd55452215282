import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { ChannelsModule } from '../channels/channels.module';
import { DataModule } from '../data/data.module';
import { LogsModule } from '../logs/logs.module';
import { OptionsModule } from '../options/options.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { ChannelBalances, ChannelTests } from '../channels/channel-checks';
import { ChannelBalanceService } from './channel-balance.service';
import { ChannelHealthService } from './channel-health.service';
import { ChannelTestService } from './channel-test.service';
import { MediaFetcher } from './media/media-fetcher.service';
import { RealtimeProxyService } from './realtime/realtime-proxy.service';
import { RelayAuthService } from './relay-auth.service';
import { RelayHttpEntry } from './relay-http-entry';
import { RelayController } from './relay.controller';
import { RelayService } from './relay.service';
import { RoutingIndexService } from './routing/routing-index.service';
import { UpstreamAuthorizer } from './upstream/upstream-authorizer';
import { UpstreamDispatchers } from './upstream/upstream-dispatchers';

@Module({
  imports: [BillingModule, ChannelsModule, DataModule, LogsModule, OptionsModule, TokensModule, UsersModule],
  controllers: [RelayController],
  providers: [
    RelayService,
    RelayHttpEntry,
    RelayAuthService,
    RoutingIndexService,
    ChannelHealthService,
    UpstreamDispatchers,
    UpstreamAuthorizer,
    MediaFetcher,
    RealtimeProxyService,
    ChannelTestService,
    ChannelBalanceService,
    // The channels controller's test and balance routes (see channel-checks.ts).
    { provide: ChannelTests, useExisting: ChannelTestService },
    { provide: ChannelBalances, useExisting: ChannelBalanceService },
  ],
  exports: [RoutingIndexService, RelayAuthService, RelayHttpEntry, ChannelHealthService, UpstreamDispatchers],
})
export class RelayModule {}
