import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiError } from '../../common/api-error';
import { AdminAuth, AuthUser, CurrentUser } from '../../common/auth';
import { ok } from '../../common/envelope';
import { readPage } from '../../common/paging';
import { ChannelBalanceReply, ChannelBalances, ChannelTestReply, ChannelTests } from './channel-checks';
import { ChannelFilter } from './channels.repository';
import { ChannelsService } from './channels.service';
import { BatchTagDto, ChannelIdsDto, CreateChannelDto, EditTagDto, FetchModelsDto, TagDto, UpdateChannelDto } from './dto/channel.dto';

function parseId(raw: string): number {
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) throw ApiError.badRequest('channel/bad-id', 'Channel id must be a positive integer');
  return id;
}

const isTrue = (value: unknown): boolean => value === 'true' || value === '1';
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** List filters shared by the list and search routes (`status`: enabled | disabled | a status number; `type`; `tag`). */
function readFilter(query: Record<string, unknown>): ChannelFilter {
  const filter: ChannelFilter = { idSort: isTrue(query.id_sort) };
  const status = text(query.status);
  if (status === 'enabled' || status === 'disabled') filter.status = status;
  else if (status !== undefined && status !== 'all' && /^\d+$/.test(status)) filter.status = Number(status);
  const type = text(query.type);
  if (type !== undefined && /^\d+$/.test(type)) filter.type = Number(type);
  const tag = text(query.tag);
  if (tag !== undefined) filter.tag = tag;
  return filter;
}

/**
 * Upstream channels (admin only; New API controller/channel.go). Static paths are declared before
 * `:id` so Express matches them first. Keys appear only in GET /api/channel/:id.
 */
@Controller('api/channel')
@AdminAuth()
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Tests and balances are the relay module's (see channel-checks.ts), looked up on first use. */
  private get tests(): ChannelTests {
    return this.moduleRef.get(ChannelTests, { strict: false });
  }

  private get balances(): ChannelBalances {
    return this.moduleRef.get(ChannelBalances, { strict: false });
  }

  @Get()
  async list(@Query() query: Record<string, unknown>) {
    return ok(await this.channels.list(readFilter(query), readPage(query), isTrue(query.tag_mode)));
  }

  @Get('search')
  async search(@Query() query: Record<string, unknown>) {
    const filter: ChannelFilter = { ...readFilter(query), keyword: text(query.keyword), group: text(query.group), model: text(query.model) };
    return ok(await this.channels.list(filter, readPage(query), isTrue(query.tag_mode)));
  }

  @Get('models')
  models() {
    return ok(this.channels.knownModels());
  }

  @Get('models_enabled')
  async modelsEnabled() {
    return ok(await this.channels.enabledModels());
  }

  @Get('tag/models')
  async tagModels(@Query('tag') tag?: string) {
    if (!tag?.trim()) throw ApiError.badRequest('channel/tag-required', 'tag is required');
    return ok(await this.channels.tagModels(tag));
  }

  @Get('fetch_models/:id')
  async fetchModelsOfChannel(@Param('id') id: string) {
    return ok(await this.channels.fetchModelsOfChannel(parseId(id)));
  }

  /** Tests every channel but the manually disabled ones, in the background; answers at once. */
  @Get('test')
  testAll(@CurrentUser() caller: AuthUser) {
    if (!this.tests.startTestAll(caller)) return { success: false, message: 'A test of all channels is already running' };
    return ok(undefined, 'Testing all channels in the background');
  }

  /** New API's answer: `{success, message, time}` with the time in seconds (also in `data`). */
  @Get('test/:id')
  async test(@Param('id') id: string, @Query() query: Record<string, unknown>, @CurrentUser() caller: AuthUser): Promise<ChannelTestReply & { data: { time: number } }> {
    const reply = await this.tests.testChannel(parseId(id), caller, { model: text(query.model), endpointType: text(query.endpoint_type), stream: isTrue(query.stream) });
    return { ...reply, data: { time: reply.time } };
  }

  /** Refreshes the balance of every enabled channel in the background; answers at once. */
  @Get('update_balance')
  updateAllBalances() {
    if (!this.balances.startUpdateAll()) return { success: false, message: 'A balance refresh of all channels is already running' };
    return ok(undefined, 'Refreshing all balances in the background');
  }

  /** New API's answer: `{success, message, balance}` in USD (also in `data`, with the time it was read). */
  @Get('update_balance/:id')
  async updateBalance(@Param('id') id: string): Promise<ChannelBalanceReply & { data?: { balance: number; balance_updated_time: number } }> {
    const reply = await this.balances.updateBalance(parseId(id));
    if (reply.balance === undefined) return reply;
    return { ...reply, data: { balance: reply.balance, balance_updated_time: reply.balance_updated_time ?? 0 } };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return ok(await this.channels.get(parseId(id)));
  }

  @Post()
  @HttpCode(200)
  async create(@Body() body: CreateChannelDto) {
    return ok(await this.channels.create(body));
  }

  @Post('batch')
  @HttpCode(200)
  async removeMany(@Body() body: ChannelIdsDto) {
    return ok(await this.channels.removeMany(body.ids));
  }

  @Post('batch/tag')
  @HttpCode(200)
  async setTag(@Body() body: BatchTagDto) {
    return ok(await this.channels.setTag(body.ids, body.tag));
  }

  @Post('tag/disabled')
  @HttpCode(200)
  async disableTag(@Body() body: TagDto) {
    return ok(await this.channels.setTagStatus(body.tag, false));
  }

  @Post('tag/enabled')
  @HttpCode(200)
  async enableTag(@Body() body: TagDto) {
    return ok(await this.channels.setTagStatus(body.tag, true));
  }

  @Post('fix')
  @HttpCode(200)
  async fix() {
    return ok(await this.channels.fixAbilities());
  }

  @Post('fetch_models')
  @HttpCode(200)
  async fetchModels(@Body() body: FetchModelsDto) {
    return ok(await this.channels.fetchModels(body.base_url, body.type, body.key));
  }

  @Put()
  async update(@Body() body: UpdateChannelDto) {
    return ok(await this.channels.update(body));
  }

  @Put('tag')
  async editTag(@Body() body: EditTagDto) {
    return ok(await this.channels.editTag(body));
  }

  @Delete('disabled')
  async removeDisabled() {
    return ok(await this.channels.removeDisabled());
  }

  @Delete(':id')
  async remove(@Param('id') id: string) {
    await this.channels.remove(parseId(id));
    return ok();
  }
}
