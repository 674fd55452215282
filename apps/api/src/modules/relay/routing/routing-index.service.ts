import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { formatMatchingModelName } from '@your-api/billing-math';
import { ChannelStatus, type ChannelInfo } from '@your-api/contracts';
import { AppConfig } from '../../../config/app-config';
import { ChannelRecord, ChannelsService } from '../../channels/channels.service';
import { parseModelMapping } from './model-mapping';
import { parseStatusCodeMapping, parseChannelSetting, ChannelSetting } from './channel-settings';

/** A channel ready for routing: its record plus parsed settings, built once per index rebuild. */
export interface RouteCandidate {
  id: number;
  priority: number;
  weight: number;
  channel: ChannelRecord;
  modelMapping: Record<string, string> | null;
  statusCodeMapping: Record<string, string> | null;
  setting: ChannelSetting;
  keys: string[];
  multiKey: ChannelInfo | null;
}

const indexKey = (group: string, model: string): string => `${group}\u0000${model}`;

/**
 * The in-memory routing index: (group, model) → enabled channels, built from the abilities table
 * and the channels it names. Rebuilt after every channel change made through the channels module
 * and every SYNC_FREQUENCY seconds (changes from other nodes), so the hot path never queries.
 */
@Injectable()
export class RoutingIndexService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RoutingIndexService.name);
  private byGroupModel = new Map<string, RouteCandidate[]>();
  private modelsByGroup = new Map<string, string[]>();
  private byChannelId = new Map<number, RouteCandidate>();
  private timer?: NodeJS.Timeout;
  private rebuilding: Promise<void> | null = null;
  private rebuildAgain = false;

  constructor(
    private readonly channels: ChannelsService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.channels.onChange(() => this.requestRebuild());
    await this.rebuild();
    this.timer = setInterval(() => void this.requestRebuild(), this.config.env.SYNC_FREQUENCY * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Rebuilds now, or once more after the rebuild in progress; resolves when the index is current. */
  requestRebuild(): Promise<void> {
    if (this.rebuilding) {
      this.rebuildAgain = true;
      return this.rebuilding;
    }
    this.rebuilding = (async () => {
      try {
        do {
          this.rebuildAgain = false;
          await this.rebuild();
        } while (this.rebuildAgain);
      } catch (error) {
        this.logger.error(`routing index rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.rebuilding = null;
      }
    })();
    return this.rebuilding;
  }

  private async rebuild(): Promise<void> {
    const abilities = await this.channels.listEnabledAbilities();
    const channelIds = [...new Set(abilities.map((a) => a.channel_id))];
    const records = await this.channels.findChannels(channelIds);
    const candidates = new Map<number, RouteCandidate>();
    for (const channel of records) {
      if (channel.status !== ChannelStatus.Enabled) continue;
      candidates.set(channel.id, toCandidate(channel));
    }
    const byGroupModel = new Map<string, RouteCandidate[]>();
    const modelsByGroup = new Map<string, Set<string>>();
    for (const ability of abilities) {
      const candidate = candidates.get(ability.channel_id);
      if (!candidate) continue;
      const key = indexKey(ability.group, ability.model);
      const list = byGroupModel.get(key) ?? [];
      list.push({ ...candidate, priority: Number(ability.priority), weight: Number(ability.weight) });
      byGroupModel.set(key, list);
      const models = modelsByGroup.get(ability.group) ?? new Set<string>();
      models.add(ability.model);
      modelsByGroup.set(ability.group, models);
    }
    this.byGroupModel = byGroupModel;
    this.modelsByGroup = new Map([...modelsByGroup].map(([group, models]) => [group, [...models].sort()]));
    this.byChannelId = candidates;
  }

  /** Enabled channels serving `model` in `group` (exact name first, then New API's wildcard form). */
  candidates(group: string, model: string): RouteCandidate[] {
    return (
      this.byGroupModel.get(indexKey(group, model)) ??
      this.byGroupModel.get(indexKey(group, formatMatchingModelName(model))) ??
      []
    );
  }

  /** Model names served in any of the groups, sorted and distinct. */
  models(groups: readonly string[]): string[] {
    const all = new Set<string>();
    for (const group of groups) for (const model of this.modelsByGroup.get(group) ?? []) all.add(model);
    return [...all].sort();
  }

  /**
   * A channel for an admin-pinned request: an enabled one from the index, else an automatically
   * disabled one read from the database (so an admin can check it has recovered). Manually
   * disabled channels stay closed.
   */
  async pinnedChannel(id: number): Promise<RouteCandidate | null> {
    const indexed = this.byChannelId.get(id);
    if (indexed) return indexed;
    const [channel] = await this.channels.findChannels([id]);
    return channel && channel.status === ChannelStatus.AutoDisabled ? toCandidate(channel) : null;
  }
}

/** A channel record as routing reads it (also for channel tests, which may test any channel). */
export function toCandidate(channel: ChannelRecord): RouteCandidate {
  let multiKey: ChannelInfo | null = null;
  if (channel.channel_info) {
    try {
      const parsed = JSON.parse(channel.channel_info) as ChannelInfo;
      if (parsed && parsed.is_multi_key) multiKey = parsed;
    } catch {
      multiKey = null;
    }
  }
  const keys = multiKey
    ? channel.key.split('\n').map((k) => k.trim()).filter(Boolean)
    : [channel.key.trim()];
  return {
    id: channel.id,
    priority: Number(channel.priority),
    weight: Number(channel.weight),
    channel,
    modelMapping: parseModelMapping(channel.model_mapping),
    statusCodeMapping: parseStatusCodeMapping(channel.status_code_mapping),
    setting: parseChannelSetting(channel.setting),
    keys,
    multiKey,
  };
}
