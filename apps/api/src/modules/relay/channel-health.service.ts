import { Injectable, Logger } from '@nestjs/common';
import { ChannelStatus, LogType } from '@your-api/contracts';
import type { UpstreamError } from '@your-api/providers-core';
import { ChannelRecord, ChannelsService } from '../channels/channels.service';
import { LogsService } from '../logs/logs.service';
import { OptionsService } from '../options/options.service';
import { DisableTracker, pickMultiKeyIndex, shouldDisableChannel } from './channel-health';
import { parseStatusCodeRanges } from './routing/status-code-ranges';
import { RouteCandidate, RoutingIndexService } from './routing/routing-index.service';
import { redactSecrets } from './redact-secrets';

/**
 * Key choice on multi-key channels, and New API's automatic disabling: a channel (or one key of a
 * multi-key channel) whose upstream says the key is dead is taken out of routing, with a notice.
 *
 * The routing index learns of a disable only after the database write and a rebuild; until then
 * the DisableTracker keeps the key out of choice and the write single (see there).
 */
@Injectable()
export class ChannelHealthService {
  private readonly logger = new Logger(ChannelHealthService.name);
  private readonly pollingIndex = new Map<number, number>();
  private readonly disabling = new DisableTracker();
  /** Single-key channels already being disabled, per routing-index generation (its record object). */
  private readonly channelsBeingDisabled = new WeakSet<ChannelRecord>();
  /** Single-key channels whose disable is being written or indexed: still in the index, no longer to be chosen. */
  private readonly channelIdsBeingDisabled = new Set<number>();
  private statusRule: { spec: string; matches: (status: number) => boolean } = { spec: '', matches: () => false };

  constructor(
    private readonly channels: ChannelsService,
    private readonly options: OptionsService,
    private readonly logs: LogsService,
    private readonly routing: RoutingIndexService,
  ) {}

  /** Index of the key to use, or -1 when every key of the channel is disabled. */
  pickKey(candidate: RouteCandidate): number {
    const info = candidate.multiKey;
    if (!info) return candidate.keys[0] ? 0 : -1;
    const statuses = info.multi_key_status_list ?? {};
    const choice = pickMultiKeyIndex({
      size: candidate.keys.length,
      mode: info.multi_key_mode,
      statuses,
      alsoDisabled: this.disabling.keysOf(candidate.id),
      pollingIndex: this.pollingIndex.get(candidate.id) ?? Number(info.multi_key_polling_index ?? 0),
    });
    if (info.multi_key_mode === 'polling') this.pollingIndex.set(candidate.id, choice.nextPollingIndex);
    return choice.index;
  }

  /**
   * A success on an automatically disabled channel (reachable only by an admin's pinned request,
   * or later by channel tests) re-enables it when AutomaticEnableChannelEnabled is on.
   */
  recordSuccess(candidate: RouteCandidate): void {
    void this.enableIfAutoDisabled(candidate, 'a request succeeded');
  }

  /** The re-enable of recordSuccess; resolves true once the channel is enabled and indexed. */
  async enableIfAutoDisabled(candidate: RouteCandidate, why: string): Promise<boolean> {
    if (candidate.channel.status !== ChannelStatus.AutoDisabled || !this.options.getBool('AutomaticEnableChannelEnabled')) return false;
    try {
      await this.channels.setStatus(candidate.id, ChannelStatus.Enabled, why);
      await this.routing.requestRebuild();
      await this.logs.record({
        userId: 0,
        type: LogType.System,
        content: `Automatically re-enabled channel #${candidate.id} "${candidate.channel.name}" after ${why}`,
        channelId: candidate.id,
      });
      return true;
    } catch (e: unknown) {
      this.logger.error(`could not re-enable channel #${candidate.id}: ${String(e)}`);
      return false;
    }
  }

  recordFailure(candidate: RouteCandidate, keyIndex: number, error: UpstreamError): void {
    if (!this.mayDisable(candidate) || !this.isDisablingFailure(error)) return;
    void this.disable(candidate, keyIndex, `upstream answered ${error.status}: ${redactSecrets(error.message).slice(0, 200)}`);
  }

  /**
   * `tried` plus the single-key channels being disabled: between the database write (the channel
   * already reads as disabled) and the rebuilt routing index, routing must not choose them.
   */
  excludedFrom(tried: ReadonlySet<number>): ReadonlySet<number> {
    if (this.channelIdsBeingDisabled.size === 0) return tried;
    return new Set([...tried, ...this.channelIdsBeingDisabled]);
  }

  /** AutomaticDisableChannelEnabled is on and the channel allows it (auto_ban). */
  mayDisable(candidate: RouteCandidate): boolean {
    return this.options.getBool('AutomaticDisableChannelEnabled') && candidate.channel.auto_ban === 1;
  }

  /** Whether New API's rules disable a channel on this failure (status codes, dead-key codes, keywords). */
  isDisablingFailure(error: UpstreamError): boolean {
    return shouldDisableChannel(error, { disableOnStatus: this.disableStatusRule(), keywords: this.keywords() });
  }

  /**
   * Takes the channel (or one key of a multi-key channel) out of routing with `reason`, once however
   * many failures ask for it. Resolves true once written and indexed; false when another failure is
   * already disabling it or the write failed (the next failure tries again).
   */
  disable(candidate: RouteCandidate, keyIndex: number, reason: string): Promise<boolean> {
    const multiKey = Boolean(candidate.multiKey);
    if (multiKey) {
      if (!this.disabling.beginKey(candidate.id, keyIndex)) return Promise.resolve(false);
    } else {
      if (this.channelsBeingDisabled.has(candidate.channel)) return Promise.resolve(false);
      this.channelsBeingDisabled.add(candidate.channel);
      this.channelIdsBeingDisabled.add(candidate.id);
    }
    const what = multiKey ? `key #${keyIndex} of channel #${candidate.id}` : `channel #${candidate.id}`;
    const written = this.disabling.enqueue(candidate.id, async () => {
      await (multiKey
        ? this.channels.disableKey(candidate.id, keyIndex, reason)
        : this.channels.setStatus(candidate.id, ChannelStatus.AutoDisabled, reason));
      // Resolves once the index has been rebuilt from the committed change.
      await this.routing.requestRebuild();
    }).then(
      () => true,
      (e: unknown) => {
        this.logger.error(`could not disable ${what}: ${e instanceof Error ? e.message : String(e)}`);
        // Not written: let the next failure try again.
        if (!multiKey) this.channelsBeingDisabled.delete(candidate.channel);
        return false;
      },
    );
    return written
      .then(async (ok) => {
        // Written and indexed (the index now excludes the key), or not written (retried later).
        if (multiKey) this.disabling.endKey(candidate.id, keyIndex);
        else this.channelIdsBeingDisabled.delete(candidate.id);
        if (!ok) return false;
        this.logger.warn(`automatically disabled ${what} (${candidate.channel.name}): ${reason}`);
        await this.logs.record({
          userId: 0,
          type: LogType.System,
          content: `Automatically disabled ${what} "${candidate.channel.name}": ${reason}`,
          channelId: candidate.id,
        });
        return true;
      })
      .catch((e: unknown) => {
        this.logger.error(`could not log the disable of ${what}: ${e instanceof Error ? e.message : String(e)}`);
        return true;
      });
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
