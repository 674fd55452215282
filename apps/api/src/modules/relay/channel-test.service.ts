import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { quotaForUsage, ResolvedPricing } from '@your-api/billing-math';
import { CHANNEL_TYPE_NAMES, ChannelStatus, ChannelType, LogType, Role } from '@your-api/contracts';
import { parseModelSuffix } from '@your-api/provider-adapters';
import { UpstreamError, type Usage } from '@your-api/providers-core';
import { DataSource } from 'typeorm';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { UserEntity } from '../../database/entities';
import { BillingService } from '../billing/billing.service';
import { ChannelTestOptions, ChannelTestReply, ChannelTests } from '../channels/channel-checks';
import { ChannelRecord, ChannelsService } from '../channels/channels.service';
import { LogsService } from '../logs/logs.service';
import { OptionsService } from '../options/options.service';
import { BackgroundRun } from './background-run';
import { ChannelHealthService } from './channel-health.service';
import { buildChannelTestRequest, chooseTestModel, testEndpointOf } from './channel-test-request';
import { readClientFormatRequest, readRelayRequest, RelayRequest } from './relay-request';
import { ChannelProbe, RelayService } from './relay.service';
import { toCandidate } from './routing/routing-index.service';

/** Who a test is logged for: the admin who asked, or root for scheduled runs. */
interface Tester {
  id: number;
  username: string;
  group: string;
}

/** Types whose upstreams are task APIs with nothing to say to a chat prompt (New API refuses them too). */
const UNTESTABLE: ReadonlySet<number> = new Set([ChannelType.Midjourney, ChannelType.MidjourneyPlus, ChannelType.SunoAPI]);

/** Upstream time allowed for a test when RELAY_TIMEOUT is 0 (a hung upstream must not stall a test-all run). */
const DEFAULT_TEST_TIMEOUT_MS = 60_000;

/** New API's error code of a channel slower than ChannelDisableThreshold in a test-all run. */
const RESPONSE_TIME_EXCEEDED = 'channel:response_time_exceeded';

/**
 * Channel tests (New API controller/channel-test.go): one tiny request to one channel through the
 * relay's own upstream code, the response time stored on the channel, a consume log showing what
 * it would have cost (nothing is charged), and the health rules: a failure New API disables on
 * disables an enabled auto-ban channel, a pass re-enables an automatically disabled one. Test-all
 * runs in the background, one at a time, and every CHANNEL_TEST_FREQUENCY minutes on the master.
 */
@Injectable()
export class ChannelTestService extends ChannelTests implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChannelTestService.name);
  /** Test-all runs; stopped at shutdown, which also cancels the upstream call of a single test. */
  private readonly run = new BackgroundRun((error) =>
    this.logger.error(`channel test run failed: ${error instanceof Error ? error.message : String(error)}`),
  );

  constructor(
    private readonly relay: RelayService,
    private readonly channels: ChannelsService,
    private readonly health: ChannelHealthService,
    private readonly billing: BillingService,
    private readonly logs: LogsService,
    private readonly options: OptionsService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  onModuleInit(): void {
    if (this.config.isMaster) this.run.repeat(this.config.env.CHANNEL_TEST_FREQUENCY, () => void this.runScheduled());
  }

  onModuleDestroy(): Promise<void> {
    return this.run.stop();
  }

  async testChannel(id: number, caller: Tester, options: ChannelTestOptions): Promise<ChannelTestReply> {
    const channel = await this.channels.findChannel(id);
    if (!channel) throw ApiError.notFound('channel/not-found', `Channel ${id} does not exist`);
    return this.test(channel, caller, options, false);
  }

  startTestAll(caller: Tester): boolean {
    return this.run.start(() => this.testAll(caller));
  }

  private async runScheduled(): Promise<void> {
    if (this.run.isRunning) return;
    const root = await this.dataSource.getRepository(UserEntity).findOne({ where: { role: Role.Root }, order: { id: 'ASC' } });
    if (!root) return;
    if (this.startTestAll({ id: root.id, username: root.username, group: root.group })) this.logger.log('testing all channels (CHANNEL_TEST_FREQUENCY)');
  }

  /** New API performChannelTests: manually disabled channels are skipped; POLLING_INTERVAL seconds between channels. */
  private async testAll(tester: Tester): Promise<void> {
    const channels = (await this.channels.allChannels()).filter((channel) => channel.status !== ChannelStatus.ManuallyDisabled);
    const intervalMs = this.config.env.POLLING_INTERVAL * 1000;
    let passed = 0;
    for (const [index, channel] of channels.entries()) {
      if (index > 0) await this.run.pause(intervalMs);
      if (this.run.signal.aborted) return;
      try {
        if ((await this.test(channel, tester, {}, true)).success) passed++;
      } catch (error) {
        this.logger.error(`test of channel #${channel.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.logger.log(`tested ${channels.length} channel(s): ${passed} passed, ${channels.length - passed} failed`);
  }

  private async test(channel: ChannelRecord, tester: Tester, options: ChannelTestOptions, inTestAll: boolean): Promise<ChannelTestReply> {
    if (UNTESTABLE.has(channel.type)) {
      const name = CHANNEL_TYPE_NAMES[channel.type] ?? String(channel.type);
      return { success: false, message: `${name} channels cannot be tested`, time: 0, error_code: 'channel/test-unsupported' };
    }
    const model = chooseTestModel(options.model, channel);
    const target = testEndpointOf(model, options.endpointType, channel.type);
    const built = buildChannelTestRequest(model, target, options.stream === true, this.config.env.TEST_PROMPT);
    let request: RelayRequest;
    try {
      request =
        target.kind === 'format'
          ? readClientFormatRequest(target.format, built.body, { pathModel: model, pathStream: built.stream })
          : readRelayRequest(target.endpoint, built.body);
    } catch (error) {
      return { success: false, message: error instanceof Error ? error.message : String(error), time: 0, error_code: 'channel/test-request-invalid' };
    }
    const candidate = toCandidate(channel);
    const relayTimeout = this.config.env.RELAY_TIMEOUT;
    const probe = await this.relay.probeChannel(candidate, request, {
      timeoutMs: relayTimeout > 0 ? relayTimeout * 1000 : DEFAULT_TEST_TIMEOUT_MS,
      signal: this.run.signal,
    });
    // Cut short by shutdown: the time says nothing about the channel.
    if (this.run.signal.aborted) return { success: false, message: 'The server is shutting down', time: 0, error_code: 'upstream/aborted' };
    await this.channels.recordTest(channel.id, probe.elapsedMs);

    let failure = probe.error;
    let disableReason: string | null = null;
    if (failure) {
      if (this.health.isDisablingFailure(failure)) disableReason = `channel test: upstream answered ${failure.status}: ${probe.message.slice(0, 200)}`;
    } else if (inTestAll && this.options.getBool('AutomaticDisableChannelEnabled')) {
      const thresholdSeconds = this.options.getNumber('ChannelDisableThreshold');
      if (thresholdSeconds > 0 && probe.elapsedMs > thresholdSeconds * 1000) {
        const message = `Response time ${(probe.elapsedMs / 1000).toFixed(2)}s exceeds the threshold of ${thresholdSeconds.toFixed(2)}s`;
        failure = new UpstreamError(408, RESPONSE_TIME_EXCEEDED, message, false);
        disableReason = `channel test: ${message}`;
      }
    }
    // Only enabled channels are disabled; an automatically disabled one stays so, with its first reason.
    if (disableReason && channel.status === ChannelStatus.Enabled && this.health.mayDisable(candidate)) {
      await this.health.disable(candidate, probe.keyIndex, disableReason);
    }
    if (!failure) await this.health.enableIfAutoDisabled(candidate, 'a successful channel test');
    if (probe.ok) this.logTest(channel, tester, request, probe);

    const time = probe.elapsedMs / 1000;
    if (failure) return { success: false, message: failure === probe.error ? probe.message : failure.message, time, error_code: failure.code };
    return { success: true, message: '', time };
  }

  /** The consume log of a passed test: the quota it would cost, for the tester; nothing is deducted. */
  private logTest(channel: ChannelRecord, tester: Tester, request: RelayRequest, probe: ChannelProbe): void {
    const usage = probe.usage!;
    let pricing = this.billing.price(request.model, tester.group, tester.group);
    if (!pricing.found) pricing = this.billing.price(parseModelSuffix(request.model).baseModel, tester.group, tester.group);
    const quota = pricing.found ? this.quotaOf(pricing, usage, request.otherRatios) : 0;
    const priced = pricing.found ? '' : '; the model has no price configured';
    this.logs.enqueue({
      userId: tester.id,
      type: LogType.Consume,
      content: `Channel test of #${channel.id} "${channel.name}" (not charged)${priced}`,
      username: tester.username,
      tokenName: 'channel test',
      modelName: request.model,
      quota,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      useTime: Math.floor(probe.elapsedMs / 1000),
      isStream: request.stream,
      channelId: channel.id,
      group: tester.group,
      other: {
        channel_test: true,
        model_ratio: pricing.modelRatio,
        group_ratio: pricing.groupRatio,
        completion_ratio: pricing.completionRatio,
        model_price: pricing.usePrice ? pricing.modelPrice : -1,
        frt: probe.elapsedMs,
        is_stream: request.stream,
        is_model_mapped: probe.upstreamModel !== request.model,
        upstream_model_name: probe.upstreamModel,
        admin_info: { use_channel: [String(channel.id)], multi_key_index: probe.keyIndex },
      },
    });
  }

  private quotaOf(pricing: ResolvedPricing, usage: Usage, otherRatios: Record<string, number>): number {
    return quotaForUsage(pricing, usage, this.billing.quotaPerUnit, otherRatios);
  }
}
