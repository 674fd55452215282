import { Injectable, Logger } from '@nestjs/common';
import { ChannelStatus, LogType } from '@your-api/contracts';
import type { UpstreamError } from '@your-api/providers-core';
import { ChannelsService } from '../channels/channels.service';
import { LogsService } from '../logs/logs.service';
import { OptionsService } from '../options/options.service';
import { shouldDisableChannel } from './channel-health';
import { parseStatusCodeRanges } from './routing/status-code-ranges';
import type { RouteCandidate } from './routing/routing-index.service';

/**
 * Key choice on multi-key channels, and New API's automatic disabling: a channel (or one key of a
 * multi-key channel) whose upstream says the key is dead is taken out of routing, with a notice.
 */
@Injectable()
export class ChannelHealthService {
  private readonly logger = new Logger(ChannelHealthService.name);
  private readonly pollingIndex = new Map<number, number>();
  private statusRule: { spec: string; matches: (status: number) => boolean } = { spec: '', matches: () => false };

  constructor(
    private readonly channels: ChannelsService,
    private readonly options: OptionsService,
    private readonly logs: LogsService,
  ) {}

  /** Index of the key to use, or -1 when every key of the channel is disabled. */
  pickKey(candidate: RouteCandidate): number {
    if (!candidate.multiKey) return candidate.keys[0] ? 0 : -1;
    const statuses = candidate.multiKey.multi_key_status_list ?? {};
    const enabled = candidate.keys.map((_, i) => i).filter((i) => {
      const status = statuses[String(i)];
      return status === undefined || status === ChannelStatus.Enabled;
    });
    if (enabled.length === 0) return -1;
    if (candidate.multiKey.multi_key_mode === 'polling') {
      const next = this.pollingIndex.get(candidate.id) ?? 0;
      this.pollingIndex.set(candidate.id, next + 1);
      return enabled[next % enabled.length];
    }
    return enabled[Math.floor(Math.random() * enabled.length)];
  }

  recordSuccess(_candidate: RouteCandidate): void {
    // Auto-disabled channels are out of routing; they come back through channel tests.
  }

  recordFailure(candidate: RouteCandidate, keyIndex: number, error: UpstreamError): void {
    if (!this.options.getBool('AutomaticDisableChannelEnabled') || candidate.channel.auto_ban !== 1) return;
    if (!shouldDisableChannel(error, { disableOnStatus: this.disableStatusRule(), keywords: this.keywords() })) return;
    const reason = `upstream answered ${error.status}: ${error.message.slice(0, 200)}`;
    const work = candidate.multiKey
      ? this.channels.disableKey(candidate.id, keyIndex, reason)
      : this.channels.setStatus(candidate.id, ChannelStatus.AutoDisabled, reason);
    work
      .then(() => {
        const what = candidate.multiKey ? `key #${keyIndex} of channel #${candidate.id}` : `channel #${candidate.id}`;
        this.logger.warn(`automatically disabled ${what} (${candidate.channel.name}): ${reason}`);
        return this.logs.record({
          userId: 0,
          type: LogType.System,
          content: `Automatically disabled ${what} "${candidate.channel.name}": ${reason}`,
          channelId: candidate.id,
        });
      })
      .catch((e: unknown) => this.logger.error(`could not disable channel #${candidate.id}: ${String(e)}`));
  }

  private disableStatusRule(): (status: number) => boolean {
    const spec = this.options.get('AutomaticDisableStatusCodes');
    if (spec !== this.statusRule.spec) {
      let matches: (status: number) => boolean;
      try {
        matches = parseStatusCodeRanges(spec);
      } catch {
        matches = (status) => status === 401;
      }
      this.statusRule = { spec, matches };
    }
    return this.statusRule.matches;
  }

  private keywords(): string[] {
    return this.options
      .get('AutomaticDisableKeywords')
      .split('\n')
      .map((k) => k.trim().toLowerCase())
      .filter(Boolean);
  }
}
