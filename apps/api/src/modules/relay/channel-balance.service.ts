import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CHANNEL_TYPE_NAMES, ChannelStatus } from '@your-api/contracts';
import {
  BalanceCall,
  balanceCallOf,
  balanceInUsd,
  BalanceReadError,
  balanceSourceOf,
  DEFAULT_BASE_URLS,
  openAiSubscriptionCall,
  openAiUsageCall,
  openAiUsageWindow,
  readBalance,
  readOpenAiSubscription,
  readOpenAiUsageUsd,
} from '@your-api/provider-adapters';
import { UpstreamError } from '@your-api/providers-core';
import { Dispatcher, request } from 'undici';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { ChannelBalanceReply, ChannelBalances } from '../channels/channel-checks';
import { ChannelRecord, ChannelsService } from '../channels/channels.service';
import { OptionsService } from '../options/options.service';
import { BackgroundRun } from './background-run';
import { ChannelHealthService } from './channel-health.service';
import { redactSecrets } from './redact-secrets';
import { parseChannelSetting } from './routing/channel-settings';
import { toCandidate } from './routing/routing-index.service';
import { toUpstreamError } from './upstream/openai-upstream';
import { UpstreamDispatchers } from './upstream/upstream-dispatchers';

const BALANCE_TIMEOUT_MS = 15_000;
/** Balance replies are small; anything bigger is not one. */
const MAX_BALANCE_BODY = 256 * 1024;

/**
 * Upstream account balances (New API controller/channel-billing.go): read from the vendor's
 * billing API through the channel's proxy, stored on the channel in USD (CNY at the
 * USDExchangeRate option). Refreshing all channels runs in the background, one at a time, and
 * every CHANNEL_UPDATE_FREQUENCY minutes on the master; there, a channel whose balance is used up
 * is disabled like a failing one (AutomaticDisableChannelEnabled and auto_ban).
 */
@Injectable()
export class ChannelBalanceService extends ChannelBalances implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChannelBalanceService.name);
  private readonly run = new BackgroundRun((error) =>
    this.logger.error(`balance refresh failed: ${error instanceof Error ? error.message : String(error)}`),
  );

  constructor(
    private readonly channels: ChannelsService,
    private readonly dispatchers: UpstreamDispatchers,
    private readonly health: ChannelHealthService,
    private readonly options: OptionsService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    if (!this.config.isMaster) return;
    this.run.repeat(this.config.env.CHANNEL_UPDATE_FREQUENCY, () => {
      if (this.startUpdateAll()) this.logger.log('refreshing all channel balances (CHANNEL_UPDATE_FREQUENCY)');
    });
  }

  onModuleDestroy(): Promise<void> {
    return this.run.stop();
  }

  async updateBalance(id: number): Promise<ChannelBalanceReply> {
    const channel = await this.channels.findChannel(id);
    if (!channel) throw ApiError.notFound('channel/not-found', `Channel ${id} does not exist`);
    return this.refresh(channel);
  }

  startUpdateAll(): boolean {
    return this.run.start(() => this.updateAll());
  }

  /** New API updateAllChannelsBalance: enabled single-key channels of a supported type, POLLING_INTERVAL seconds apart. */
  private async updateAll(): Promise<void> {
    const channels = (await this.channels.allChannels()).filter(
      (channel) => channel.status === ChannelStatus.Enabled && !isMultiKey(channel) && balanceSourceOf(channel.type) !== null,
    );
    const intervalMs = this.config.env.POLLING_INTERVAL * 1000;
    for (const [index, channel] of channels.entries()) {
      if (index > 0) await this.run.pause(intervalMs);
      if (this.run.signal.aborted) return;
      const reply = await this.refresh(channel);
      if (reply.success && (reply.balance ?? 0) <= 0) {
        const candidate = toCandidate(channel);
        if (this.health.mayDisable(candidate)) await this.health.disable(candidate, 0, 'the upstream balance is used up');
      }
    }
  }

  private async refresh(channel: ChannelRecord): Promise<ChannelBalanceReply> {
    const typeName = CHANNEL_TYPE_NAMES[channel.type] ?? String(channel.type);
    if (isMultiKey(channel)) return { success: false, message: 'Multi-key channels have no single balance to read' };
    const source = balanceSourceOf(channel.type);
    if (!source) return { success: false, message: `Balance queries are not supported for ${typeName} channels` };
    const baseUrl = (channel.base_url ?? '').trim() || DEFAULT_BASE_URLS[channel.type] || '';
    if (!baseUrl && source !== 'aiproxy') return { success: false, message: 'The channel has no base URL to query' };
    const key = channel.key.trim();
    try {
      const dispatcher = this.dispatchers.forProxy(parseChannelSetting(channel.setting).proxy);
      let balance: number;
      if (source === 'openai-billing') {
        const subscription = readOpenAiSubscription(await this.getJson(openAiSubscriptionCall(baseUrl, key), dispatcher));
        const window = openAiUsageWindow(subscription.hasPaymentMethod, new Date());
        const used = readOpenAiUsageUsd(await this.getJson(openAiUsageCall(baseUrl, key, window), dispatcher));
        balance = subscription.hardLimitUsd - used;
      } else {
        const upstream = readBalance(source, await this.getJson(balanceCallOf(source, baseUrl, key), dispatcher));
        balance = balanceInUsd(upstream, this.options.getNumber('USDExchangeRate'));
      }
      const updatedAt = await this.channels.recordBalance(channel.id, balance);
      return { success: true, message: '', balance, balance_updated_time: updatedAt };
    } catch (error) {
      // Transport failures say nothing of the URL (it may hold a key); vendor messages are redacted.
      const message = error instanceof BalanceReadError || error instanceof UpstreamError ? error.message : toUpstreamError(error).message;
      return { success: false, message: redactSecrets(message) };
    }
  }

  private async getJson(call: BalanceCall, dispatcher: Dispatcher): Promise<unknown> {
    const response = await request(call.url, {
      method: 'GET',
      headers: call.headers,
      dispatcher,
      headersTimeout: BALANCE_TIMEOUT_MS,
      bodyTimeout: BALANCE_TIMEOUT_MS,
    });
    let text = '';
    for await (const chunk of response.body) {
      text += (chunk as Buffer).toString('utf8');
      if (text.length > MAX_BALANCE_BODY) {
        response.body.destroy();
        throw new BalanceReadError('The balance reply is too large');
      }
    }
    if (response.statusCode !== 200) throw new BalanceReadError(`The upstream answered HTTP ${response.statusCode}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BalanceReadError('The upstream answered with a body that is not JSON');
    }
  }
}

function isMultiKey(channel: ChannelRecord): boolean {
  if (!channel.channel_info) return false;
  try {
    return (JSON.parse(channel.channel_info) as { is_multi_key?: unknown }).is_multi_key === true;
  } catch {
    return false;
  }
}
