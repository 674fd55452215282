import { Injectable, Logger } from '@nestjs/common';
import {
  CHANNEL_TYPE_NAMES,
  ChannelStatus,
  ChannelType,
  type ChannelDetailView,
  type ChannelFixResult,
  type ChannelInfo,
  type KnownModelView,
  type MultiKeyMode,
  type Page,
} from '@your-api/contracts';
import { ApiError } from '../../common/api-error';
import { PageRequest, toPage } from '../../common/paging';
import { ChannelEntity } from '../../database/entities';
import { CacheInvalidationBus } from '../cache/cache-invalidation-bus.service';
import {
  AbilityRow,
  abilityRowsOf,
  checkBaseUrl,
  checkJsonObject,
  checkModelMapping,
  checkStatusCodeMapping,
  isKnownChannelType,
  splitCsv,
  splitKeys,
} from './channel-rules';
import { ChannelFilter, ChannelsRepository } from './channels.repository';
import { ChannelFieldsDto, CreateChannelDto, EditTagDto, UpdateChannelDto } from './dto/channel.dto';
import { DEFAULT_BASE_URLS } from '@your-api/provider-adapters';
import { KNOWN_MODELS } from './known-models';
import { fetchUpstreamModelIds } from './upstream-models';

/** A channel as the relay reads it, key included. */
export type ChannelRecord = Readonly<ChannelEntity>;
export type { AbilityRow } from './channel-rules';

/** Called after every committed change to channels or abilities (e.g. to rebuild a routing cache). */
export type ChannelsChangeListener = (version: number) => void | Promise<void>;

const UPSTREAM_TIMEOUT_MS = 15_000;
/** New API [v25.04] creation time shown for built-in models. */
const KNOWN_MODEL_CREATED = 1626777600;

/** Column sizes of New API's schema that MySQL and PostgreSQL enforce. */
const LIMITS = {
  name: 191,
  group: 64,
  groupEntry: 64,
  modelEntry: 255,
  tag: 191,
  base_url: 255,
  test_model: 255,
  openai_organization: 255,
  status_code_mapping: 1024,
} as const;

function parseChannelInfo(text: string | null): ChannelInfo | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ChannelInfo) : null;
  } catch {
    return null;
  }
}

/** The JSON a channel is shown as; `key` only when asked for (GET /api/channel/:id). */
export function toChannelView(channel: ChannelEntity, options: { withKey?: boolean } = {}): ChannelDetailView {
  const view: ChannelDetailView = {
    id: channel.id,
    type: channel.type,
    openai_organization: channel.open_ai_organization,
    test_model: channel.test_model,
    status: channel.status,
    name: channel.name,
    weight: Number(channel.weight),
    created_time: channel.created_time,
    test_time: channel.test_time,
    response_time: channel.response_time,
    base_url: channel.base_url ?? '',
    other: channel.other ?? '',
    balance: Number(channel.balance ?? 0),
    balance_updated_time: channel.balance_updated_time,
    models: channel.models ?? '',
    group: channel.group ?? '',
    used_quota: channel.used_quota,
    model_mapping: channel.model_mapping,
    status_code_mapping: channel.status_code_mapping ?? '',
    priority: Number(channel.priority),
    auto_ban: channel.auto_ban,
    other_info: channel.other_info ?? '',
    tag: channel.tag,
    setting: channel.setting,
    param_override: channel.param_override,
    channel_info: parseChannelInfo(channel.channel_info),
  };
  if (options.withKey) view.key = channel.key;
  return view;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * Upstream channels (admin) and the `abilities` routing index derived from them. Every write to a
 * channel rewrites its abilities in the same transaction; after each commit the change is announced
 * on CacheInvalidationBus (topic `channels`), and on every node the change version is bumped and
 * listeners are told, so routing caches rebuild.
 */
@Injectable()
export class ChannelsService {
  private readonly logger = new Logger(ChannelsService.name);
  private version = 0;
  private readonly listeners: ChannelsChangeListener[] = [];

  constructor(
    private readonly channels: ChannelsRepository,
    private readonly bus: CacheInvalidationBus,
  ) {
    // Channels changed on this or another node (or the bus may have missed a change): tell listeners.
    bus.subscribe('channels', () => this.notifyListeners());
  }

  // ---- for other modules (relay, routing cache) ----

  /** Increases after every committed change to channels or abilities made through this service (on any node that shares Redis). */
  get changeVersion(): number {
    return this.version;
  }

  onChange(listener: ChannelsChangeListener): void {
    this.listeners.push(listener);
  }

  /** Enabled abilities (group, model, channel, priority, weight, tag): the routing index. */
  listEnabledAbilities(): Promise<AbilityRow[]> {
    return this.channels.enabledAbilities();
  }

  /** Channels with their keys, for the relay's routing index (missing ids are skipped). */
  async findChannels(ids: readonly number[]): Promise<ChannelRecord[]> {
    return this.channels.findByIds([...new Set(ids)]);
  }

  /** One channel with its key, for the relay; null when it does not exist. */
  async findChannel(id: number): Promise<ChannelRecord | null> {
    return this.channels.findById(id);
  }

  /** Every channel with its key, for channel tests and balance refreshes. */
  allChannels(): Promise<ChannelRecord[]> {
    return this.channels.findAll();
  }

  /**
   * Stores a channel test's response time (ms) and time. Routing reads neither, so no change is
   * announced; a channel deleted meanwhile is simply not updated.
   */
  async recordTest(id: number, responseTimeMs: number): Promise<void> {
    await this.channels.transaction((manager) =>
      this.channels.updateChannel(manager, id, { response_time: Math.max(0, Math.round(responseTimeMs)), test_time: nowSeconds() }),
    );
  }

  /** Stores an upstream balance (USD) and when it was read; like recordTest, announces nothing. */
  async recordBalance(id: number, balanceUsd: number): Promise<number> {
    const updatedAt = nowSeconds();
    await this.channels.transaction((manager) => this.channels.updateChannel(manager, id, { balance: balanceUsd, balance_updated_time: updatedAt }));
    return updatedAt;
  }

  /**
   * Sets a channel's status and its abilities' `enabled` together (manual toggles now, auto-disable
   * and auto-enable later). `reason` goes to other_info.status_reason as New API records it.
   */
  async setStatus(id: number, status: ChannelStatus, reason?: string): Promise<void> {
    await this.channels.transaction(async (manager) => {
      const channel = await this.channels.findById(id, manager);
      if (!channel) throw this.notFound(id);
      const patch: Partial<ChannelEntity> = { status };
      if (reason !== undefined) {
        const info = this.parseObject(channel.other_info);
        patch.other_info = JSON.stringify({ ...info, status_reason: reason, status_time: nowSeconds() });
      }
      await this.channels.updateChannel(manager, id, patch);
      await this.channels.setAbilitiesEnabled(manager, [id], status === ChannelStatus.Enabled);
    });
    await this.changed();
  }

  /**
   * Disables one key of a multi-key channel (New API handlerMultiKeyUpdate): its index gets status 3
   * in channel_info with reason and time; when no enabled key remains, the whole channel goes to 3.
   */
  async disableKey(id: number, keyIndex: number, reason: string): Promise<void> {
    await this.channels.transaction(async (manager) => {
      const channel = await this.channels.findById(id, manager);
      if (!channel) throw this.notFound(id);
      const info = parseChannelInfo(channel.channel_info);
      if (!info?.is_multi_key) {
        await this.channels.updateChannel(manager, id, {
          status: ChannelStatus.AutoDisabled,
          other_info: JSON.stringify({ ...this.parseObject(channel.other_info), status_reason: reason, status_time: nowSeconds() }),
        });
        await this.channels.setAbilitiesEnabled(manager, [id], false);
        return;
      }
      const raw = this.parseObject(channel.channel_info) as Record<string, unknown>;
      const statuses: Record<string, number> = { ...((raw.multi_key_status_list as Record<string, number> | undefined) ?? {}) };
      const reasons: Record<string, string> = { ...((raw.multi_key_disabled_reason as Record<string, string> | undefined) ?? {}) };
      const times: Record<string, number> = { ...((raw.multi_key_disabled_time as Record<string, number> | undefined) ?? {}) };
      statuses[String(keyIndex)] = ChannelStatus.AutoDisabled;
      reasons[String(keyIndex)] = reason;
      times[String(keyIndex)] = nowSeconds();
      const size = splitKeys(channel.key).length;
      const anyEnabled = Array.from({ length: size }, (_, i) => statuses[String(i)]).some(
        (status) => status === undefined || status === ChannelStatus.Enabled,
      );
      const patch: Partial<ChannelEntity> = {
        channel_info: JSON.stringify({
          ...raw,
          multi_key_status_list: statuses,
          multi_key_disabled_reason: reasons,
          multi_key_disabled_time: times,
        }),
      };
      if (!anyEnabled) {
        patch.status = ChannelStatus.AutoDisabled;
        patch.other_info = JSON.stringify({ ...this.parseObject(channel.other_info), status_reason: 'All keys are disabled', status_time: nowSeconds() });
      }
      await this.channels.updateChannel(manager, id, patch);
      if (!anyEnabled) await this.channels.setAbilitiesEnabled(manager, [id], false);
    });
    await this.changed();
  }

  // ---- management API ----

  async list(filter: ChannelFilter, page: PageRequest, tagMode: boolean): Promise<Page<ChannelDetailView>> {
    const [rows, total] = tagMode ? await this.channels.listByTagPage(filter, page) : await this.channels.list(filter, page);
    return toPage(page, rows.map((row) => toChannelView(row)), total);
  }

  async get(id: number): Promise<ChannelDetailView> {
    const channel = await this.channels.findById(id);
    if (!channel) throw this.notFound(id);
    return toChannelView(channel, { withKey: true });
  }

  /**
   * Adds channels. Without a mode, a key of several lines adds one channel per line (New API
   * [v25.04]) unless `multi_key_mode` asks for one multi-key channel; `mode` ([latest]) is explicit.
   */
  async create(input: CreateChannelDto): Promise<ChannelDetailView[]> {
    const fields: ChannelFieldsDto = input.channel ?? input;
    const multiKeyMode = input.multi_key_mode ?? fields.multi_key_mode;
    if (fields.type === undefined || fields.type === null) throw ApiError.badRequest('channel/type-required', 'type is required');
    if (!fields.name?.trim()) throw ApiError.badRequest('channel/name-required', 'name is required');
    const base = this.validated(fields, null);
    const keyText = (fields.key ?? '').trim();
    if (!keyText) throw ApiError.badRequest('channel/key-required', 'key is required');

    const mode = input.mode ?? (multiKeyMode ? 'multi_to_single' : fields.type === ChannelType.VertexAI ? 'single' : 'batch');
    const rows: Partial<ChannelEntity>[] = [];
    const now = nowSeconds();
    const common: Partial<ChannelEntity> = {
      status: ChannelStatus.Enabled,
      weight: 0,
      priority: 0,
      auto_ban: 1,
      group: 'default',
      models: '',
      base_url: '',
      status_code_mapping: '',
      ...base,
      created_time: now,
    };
    if (mode === 'single') {
      rows.push({ ...common, key: keyText, channel_info: null });
    } else if (mode === 'batch') {
      for (const key of splitKeys(keyText)) rows.push({ ...common, key, channel_info: null });
    } else {
      const keys = splitKeys(keyText);
      rows.push({ ...common, key: keys.join('\n'), channel_info: JSON.stringify(this.multiKeyInfo(keys.length, multiKeyMode ?? 'random')) });
    }

    const created = await this.channels.transaction(async (manager) => {
      const saved: ChannelEntity[] = [];
      for (const row of rows) saved.push(await this.channels.insertChannel(manager, row));
      await this.channels.insertAbilities(manager, saved.flatMap((channel) => abilityRowsOf(channel)));
      return saved;
    });
    await this.changed();
    return created.map((channel) => toChannelView(channel));
  }

  /** PUT /api/channel/: changes the fields sent; a missing or blank key keeps the stored key(s). */
  async update(input: UpdateChannelDto): Promise<ChannelDetailView> {
    const updated = await this.channels.transaction(async (manager) => {
      const current = await this.channels.findById(input.id, manager);
      if (!current) throw this.notFound(input.id);
      const patch = this.validated(input, current);
      if (input.name !== undefined && input.name !== null && !input.name.trim()) {
        throw ApiError.badRequest('channel/name-required', 'name must not be empty');
      }
      const info = parseChannelInfo(current.channel_info);
      const keyText = (input.key ?? '').trim();
      if (info?.is_multi_key) {
        const nextInfo: ChannelInfo = { ...info };
        if (keyText) {
          const keys = splitKeys(keyText);
          patch.key = keys.join('\n');
          nextInfo.multi_key_size = keys.length;
          nextInfo.multi_key_status_list = {};
          nextInfo.multi_key_polling_index = 0;
        }
        if (input.multi_key_mode) nextInfo.multi_key_mode = input.multi_key_mode;
        patch.channel_info = JSON.stringify(nextInfo);
      } else if (keyText) {
        patch.key = keyText;
      }
      await this.channels.updateChannel(manager, current.id, patch);
      const next = { ...current, ...patch } as ChannelEntity;
      await this.channels.replaceAbilities(manager, [next]);
      return next;
    });
    await this.changed();
    return toChannelView(updated);
  }

  async remove(id: number): Promise<void> {
    const deleted = await this.channels.transaction(async (manager) => this.channels.deleteChannels(manager, [id]));
    if (deleted === 0) throw this.notFound(id);
    await this.changed();
  }

  /** Deletes manually and automatically disabled channels; returns how many. */
  async removeDisabled(): Promise<number> {
    const deleted = await this.channels.transaction(async (manager) => {
      const ids = await this.channels.idsWhereStatusIn([ChannelStatus.ManuallyDisabled, ChannelStatus.AutoDisabled], manager);
      return ids.length ? this.channels.deleteChannels(manager, ids) : 0;
    });
    if (deleted) await this.changed();
    return deleted;
  }

  /** Deletes the listed channels that exist; returns how many. */
  async removeMany(ids: number[]): Promise<number> {
    const deleted = await this.channels.transaction(async (manager) => this.channels.deleteChannels(manager, [...new Set(ids)]));
    if (deleted) await this.changed();
    return deleted;
  }

  /** Sets (or with a blank tag clears) the tag of the listed channels and of their abilities. */
  async setTag(ids: number[], rawTag: string | null | undefined): Promise<number> {
    const tag = this.checkTag(rawTag);
    const count = await this.channels.transaction(async (manager) => {
      const existing = await this.channels.existingIds([...new Set(ids)], manager);
      if (existing.length === 0) return 0;
      await this.channels.updateChannels(manager, existing, { tag });
      await this.channels.setAbilitiesTag(manager, existing, tag);
      return existing.length;
    });
    if (count) await this.changed();
    return count;
  }

  /** Enables or disables every channel of a tag; returns how many. */
  async setTagStatus(rawTag: string, enabled: boolean): Promise<number> {
    const tag = rawTag.trim();
    const count = await this.channels.transaction(async (manager) => {
      const ids = (await this.channels.findByTag(tag, manager)).map((channel) => channel.id);
      if (ids.length === 0) return 0;
      await this.channels.updateChannels(manager, ids, { status: enabled ? ChannelStatus.Enabled : ChannelStatus.ManuallyDisabled });
      await this.channels.setAbilitiesEnabled(manager, ids, enabled);
      return ids.length;
    });
    if (count === 0) throw ApiError.notFound('channel/tag-not-found', `No channel has the tag "${tag}"`);
    await this.changed();
    return count;
  }

  /** PUT /api/channel/tag: applies the given fields to every channel of the tag and rewrites their abilities. */
  async editTag(input: EditTagDto): Promise<number> {
    const tag = input.tag.trim();
    const patch: Partial<ChannelEntity> = {};
    if (input.new_tag !== undefined && input.new_tag !== null && input.new_tag.trim() !== '') patch.tag = this.checkTag(input.new_tag);
    if (input.priority !== undefined && input.priority !== null) patch.priority = input.priority;
    if (input.weight !== undefined && input.weight !== null) patch.weight = input.weight;
    if (input.models !== undefined && input.models !== null && input.models.trim() !== '') patch.models = this.checkModels(input.models);
    if (input.groups !== undefined && input.groups !== null && input.groups.trim() !== '') patch.group = this.checkGroups(input.groups);
    if (input.model_mapping !== undefined && input.model_mapping !== null) patch.model_mapping = this.checkMapping(input.model_mapping);

    const count = await this.channels.transaction(async (manager) => {
      const channels = await this.channels.findByTag(tag, manager);
      if (channels.length === 0) return 0;
      const ids = channels.map((channel) => channel.id);
      await this.channels.updateChannels(manager, ids, patch);
      await this.channels.replaceAbilities(
        manager,
        channels.map((channel) => ({ ...channel, ...patch })),
      );
      return ids.length;
    });
    if (count === 0) throw ApiError.notFound('channel/tag-not-found', `No channel has the tag "${tag}"`);
    await this.changed();
    return count;
  }

  /** New API GetTagModels: the longest models list among the tag's channels. */
  async tagModels(rawTag: string): Promise<string> {
    const channels = await this.channels.findByTag(rawTag.trim());
    return channels.reduce((longest, channel) => ((channel.models ?? '').length > longest.length ? (channel.models ?? '') : longest), '');
  }

  /** Rebuilds the whole abilities table from the channels, in one transaction. */
  async fixAbilities(): Promise<ChannelFixResult & { abilities: number }> {
    const result = await this.channels.transaction(async (manager) => {
      const sources = await this.channels.allAbilitySources(manager);
      await this.channels.deleteAllAbilities(manager);
      const abilities = await this.channels.insertAbilities(manager, sources.flatMap((source) => abilityRowsOf(source)));
      return { success: sources.length, fails: 0, abilities };
    });
    await this.changed();
    return result;
  }

  /** Built-in model lists, OpenAI list shape, first owner wins for a model listed twice. */
  knownModels(): KnownModelView[] {
    const seen = new Map<string, KnownModelView>();
    for (const [type, models] of Object.entries(KNOWN_MODELS)) {
      const owner = (CHANNEL_TYPE_NAMES[Number(type)] ?? 'custom').toLowerCase();
      for (const id of models ?? []) {
        if (!seen.has(id)) seen.set(id, { id, object: 'model', created: KNOWN_MODEL_CREATED, owned_by: owner, channel_type: Number(type) });
      }
    }
    return [...seen.values()];
  }

  /** Channel type → built-in model names (for a dashboard model map). */
  knownModelsByType(): Record<number, string[]> {
    return Object.fromEntries(Object.entries(KNOWN_MODELS).map(([type, models]) => [Number(type), [...(models ?? [])]]));
  }

  enabledModels(): Promise<string[]> {
    return this.channels.enabledModels();
  }

  /** Model ids a stored channel's upstream offers (first key of a multi-key channel). */
  async fetchModelsOfChannel(id: number): Promise<string[]> {
    const channel = await this.channels.findById(id);
    if (!channel) throw this.notFound(id);
    const key = splitKeys(channel.key)[0] ?? '';
    if (!key) throw ApiError.badRequest('channel/key-required', `Channel ${id} has no key`);
    return this.fetchModels(channel.base_url, channel.type, key);
  }

  /** Model ids an ad-hoc upstream offers (the console's "fetch models" before saving a channel). */
  async fetchModels(baseUrl: string | null | undefined, type: number, key: string): Promise<string[]> {
    if (!isKnownChannelType(type)) throw ApiError.badRequest('channel/bad-type', `Unknown channel type ${type}`);
    const base = (baseUrl ?? '').trim() || DEFAULT_BASE_URLS[type] || '';
    if (!base) throw ApiError.badRequest('channel/base-url-required', 'base_url is required for this channel type');
    const problem = checkBaseUrl(base);
    if (problem) throw ApiError.badRequest('channel/bad-base-url', problem);
    const firstKey = splitKeys(key)[0];
    if (!firstKey) throw ApiError.badRequest('channel/key-required', 'key is required');
    return fetchUpstreamModelIds({ baseUrl: base, type, key: firstKey, timeoutMs: UPSTREAM_TIMEOUT_MS });
  }

  // ---- rules ----

  /**
   * Checks the fields present in `input` and returns them as column values. `current` is the stored
   * channel on update (null on create). Keys are handled by the caller.
   */
  private validated(input: ChannelFieldsDto, current: ChannelEntity | null): Partial<ChannelEntity> {
    const patch: Partial<ChannelEntity> = {};
    const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;
    if (given(input.type)) {
      if (!isKnownChannelType(input.type)) throw ApiError.badRequest('channel/bad-type', `Unknown channel type ${input.type}`);
      patch.type = input.type;
    }
    if (given(input.name)) patch.name = this.limited('name', input.name.trim(), LIMITS.name);
    if (given(input.status)) patch.status = input.status;
    if (given(input.weight)) patch.weight = input.weight;
    if (given(input.priority)) patch.priority = input.priority;
    if (given(input.auto_ban)) patch.auto_ban = input.auto_ban;
    if (input.base_url !== undefined) {
      const url = (input.base_url ?? '').trim();
      const problem = checkBaseUrl(url);
      if (problem) throw ApiError.badRequest('channel/bad-base-url', problem);
      patch.base_url = this.limited('base_url', url, LIMITS.base_url);
    }
    if (input.other !== undefined) patch.other = input.other;
    if (given(input.models)) patch.models = this.checkModels(input.models);
    if (given(input.group)) patch.group = this.checkGroups(input.group);
    if (input.model_mapping !== undefined) patch.model_mapping = this.checkMapping(input.model_mapping ?? '');
    if (input.status_code_mapping !== undefined) {
      const text = (input.status_code_mapping ?? '').trim();
      const problem = checkStatusCodeMapping(text);
      if (problem) throw ApiError.badRequest('channel/bad-status-code-mapping', problem);
      patch.status_code_mapping = this.limited('status_code_mapping', text, LIMITS.status_code_mapping);
    }
    if (input.setting !== undefined) patch.setting = this.checkJsonField('setting', input.setting);
    if (input.param_override !== undefined) patch.param_override = this.checkJsonField('param_override', input.param_override);
    if (input.other_info !== undefined) patch.other_info = input.other_info;
    if (input.tag !== undefined) patch.tag = this.checkTag(input.tag);
    if (input.test_model !== undefined) patch.test_model = this.optionalText('test_model', input.test_model, LIMITS.test_model);
    if (input.openai_organization !== undefined) {
      patch.open_ai_organization = this.optionalText('openai_organization', input.openai_organization, LIMITS.openai_organization);
    }
    if (current === null && patch.group === undefined) patch.group = 'default';
    return patch;
  }

  private checkModels(text: string): string {
    const models = splitCsv(text);
    const long = models.find((model) => model.length > LIMITS.modelEntry);
    if (long) throw ApiError.badRequest('channel/bad-models', `Model name "${long.slice(0, 40)}…" is too long (at most ${LIMITS.modelEntry} characters)`);
    return models.join(',');
  }

  private checkGroups(text: string): string {
    const groups = splitCsv(text);
    if (groups.length === 0) return 'default';
    const long = groups.find((group) => group.length > LIMITS.groupEntry);
    if (long) throw ApiError.badRequest('channel/bad-group', `Group name "${long.slice(0, 40)}" is too long`);
    return this.limited('group', groups.join(','), LIMITS.group);
  }

  private checkMapping(text: string): string {
    const trimmed = text.trim();
    const problem = checkModelMapping(trimmed);
    if (problem) throw ApiError.badRequest('channel/bad-model-mapping', problem);
    return trimmed;
  }

  private checkJsonField(field: string, text: string | null): string | null {
    const trimmed = (text ?? '').trim();
    if (!trimmed) return null;
    const problem = checkJsonObject(field, trimmed);
    if (problem) throw ApiError.badRequest(`channel/bad-${field.replace(/_/g, '-')}`, problem);
    return trimmed;
  }

  private checkTag(tag: string | null | undefined): string | null {
    const trimmed = (tag ?? '').trim();
    return trimmed ? this.limited('tag', trimmed, LIMITS.tag) : null;
  }

  private optionalText(field: string, text: string | null, max: number): string | null {
    const trimmed = (text ?? '').trim();
    return trimmed ? this.limited(field, trimmed, max) : null;
  }

  private limited(field: string, value: string, max: number): string {
    if (value.length > max) throw ApiError.badRequest('channel/too-long', `${field} is too long (at most ${max} characters)`);
    return value;
  }

  private multiKeyInfo(size: number, mode: MultiKeyMode): ChannelInfo {
    return { is_multi_key: true, multi_key_size: size, multi_key_mode: mode, multi_key_status_list: {}, multi_key_polling_index: 0 };
  }

  private parseObject(text: string | null): Record<string, unknown> {
    if (!text) return {};
    try {
      const value = JSON.parse(text) as unknown;
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  private notFound(id: number): ApiError {
    return ApiError.notFound('channel/not-found', `Channel ${id} does not exist`);
  }

  /**
   * Announces a committed change and waits until this node's listeners (the routing index) have
   * caught up, so a channel is routable the moment the management call that wrote it answers.
   */
  private async changed(): Promise<void> {
    this.bus.publish('channels');
    await this.listenersSettled;
  }

  private listenersSettled: Promise<unknown> = Promise.resolve();

  private notifyListeners(): void {
    this.version++;
    const pending: Promise<void>[] = [];
    for (const listener of this.listeners) {
      try {
        const result = listener(this.version);
        if (result instanceof Promise) pending.push(result);
      } catch (error) {
        this.logger.warn(`channel change listener failed: ${String(error)}`);
      }
    }
    this.listenersSettled = Promise.allSettled(pending);
  }
}
