import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { AdminLogView, LogStatView, LogType, Page, UserLogView } from '@your-api/contracts';
import { ApiError } from '../../common/api-error';
import { PageRequest, toPage } from '../../common/paging';
import { LogEntity } from '../../database/entities';
import { OptionsService } from '../options/options.service';
import { BatchWriter, BatchWriterOptions } from './batch-writer';
import { toAdminLogView, toUserLogView } from './log-views';
import { LogFilter, LogsRepository } from './logs.repository';

export interface LogRecord {
  userId: number;
  type: LogType;
  content: string;
  username?: string;
  tokenName?: string;
  modelName?: string;
  quota?: number;
  promptTokens?: number;
  completionTokens?: number;
  useTime?: number;
  isStream?: boolean;
  channelId?: number;
  tokenId?: number;
  group?: string;
  requestId?: string;
  other?: Record<string, unknown>;
}

/** Optional provider overriding the batch writer's timing and sizes (tests, tuning). */
export const LOG_WRITER_OPTIONS = Symbol('LOG_WRITER_OPTIONS');

/** New API's search returns at most this many rows (common.MaxRecentItems). */
export const LOG_SEARCH_LIMIT = 100;

/** Window of the rpm/tpm figures of the stat routes. */
const RATE_WINDOW_SECONDS = 60;

/** Column sizes of `logs`; longer values would make PostgreSQL and strict MySQL reject the row. */
const MAX_NAME = 191;
const MAX_GROUP = 64;
const MAX_REQUEST_ID = 64;
/** MySQL TEXT holds 64 KiB: 16k characters fit even at 4 bytes each. */
const MAX_CONTENT = 16_000;

/** Cuts to `max` characters (code points, as MySQL and PostgreSQL count them). */
function clip(value: string | undefined, max: number): string {
  if (!value) return '';
  return value.length <= max ? value : Array.from(value).slice(0, max).join('');
}

/**
 * Usage and audit log (append-only). Other modules write through `record` (one INSERT, awaited)
 * or, on the hot path, `enqueue` (buffered, written in multi-row INSERTs; flushed at shutdown).
 */
@Injectable()
export class LogsService implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(LogsService.name);
  private readonly writer: BatchWriter<Partial<LogEntity>>;

  constructor(
    private readonly repository: LogsRepository,
    private readonly options: OptionsService,
    @Optional() @Inject(LOG_WRITER_OPTIONS) writerOptions?: Partial<BatchWriterOptions>,
  ) {
    this.writer = new BatchWriter<Partial<LogEntity>>(
      {
        write: (rows) => this.repository.insertMany(rows),
        onLost: (error, rows) =>
          this.logger.error(`lost ${rows.length} log row(s): ${error instanceof Error ? error.message : String(error)}`),
      },
      writerOptions ?? {},
    );
  }

  /** Writes one log row now. Consume logs are skipped while LogConsumeEnabled is off. */
  async record(entry: LogRecord): Promise<void> {
    if (!this.shouldKeep(entry)) return;
    await this.repository.insertMany([this.toRow(entry)]);
  }

  /**
   * Buffers one log row; it is written within a second or so, together with others, and at the
   * latest when the module shuts down. Never throws: write failures are logged.
   */
  enqueue(entry: LogRecord): void {
    if (!this.shouldKeep(entry)) return;
    this.writer.add(this.toRow(entry));
  }

  /** Writes every buffered row now. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  async onModuleDestroy(): Promise<void> {
    await this.writer.close();
  }

  /** Catches rows enqueued by requests that finished after onModuleDestroy, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.writer.flush();
  }

  toRow(entry: LogRecord): Partial<LogEntity> {
    return {
      user_id: entry.userId,
      created_at: Math.floor(Date.now() / 1000),
      type: entry.type,
      content: clip(entry.content, MAX_CONTENT),
      username: clip(entry.username, MAX_NAME),
      token_name: clip(entry.tokenName, MAX_NAME),
      model_name: clip(entry.modelName, MAX_NAME),
      quota: entry.quota ?? 0,
      prompt_tokens: entry.promptTokens ?? 0,
      completion_tokens: entry.completionTokens ?? 0,
      use_time: entry.useTime ?? 0,
      is_stream: entry.isStream ?? false,
      channel_id: entry.channelId ?? 0,
      token_id: entry.tokenId ?? 0,
      group: clip(entry.group, MAX_GROUP),
      request_id: clip(entry.requestId, MAX_REQUEST_ID),
      other: entry.other ? JSON.stringify(entry.other) : '',
    };
  }

  // ---- reading (management routes) ----

  async listAll(filter: LogFilter, page: PageRequest): Promise<Page<AdminLogView>> {
    const { rows, total } = await this.repository.page(filter, page.offset, page.pageSize);
    return toPage(page, rows.map(toAdminLogView), total);
  }

  async listOwn(userId: number, filter: LogFilter, page: PageRequest): Promise<Page<UserLogView>> {
    const { rows, total } = await this.repository.page(ownFilter(userId, filter), page.offset, page.pageSize);
    return toPage(page, rows.map(toUserLogView), total);
  }

  /** The logs of one API key of `userId`, newest first, in the user view (no channel details). */
  async listOfToken(userId: number, tokenId: number, page: PageRequest): Promise<Page<UserLogView>> {
    const { rows, total } = await this.repository.page({ userId, tokenId }, page.offset, page.pageSize);
    return toPage(page, rows.map(toUserLogView), total);
  }

  async searchAll(keyword: string): Promise<AdminLogView[]> {
    return (await this.repository.search(keyword, LOG_SEARCH_LIMIT)).map(toAdminLogView);
  }

  async searchOwn(userId: number, keyword: string): Promise<UserLogView[]> {
    return (await this.repository.search(keyword, LOG_SEARCH_LIMIT, userId)).map(toUserLogView);
  }

  /** `quota`: consumed in the filter's range; `rpm`/`tpm`: consume requests and tokens of the last minute. */
  async stat(filter: LogFilter): Promise<LogStatView> {
    const since = Math.floor(Date.now() / 1000) - RATE_WINDOW_SECONDS;
    const [quota, rate] = await Promise.all([
      this.repository.sumConsumedQuota(filter),
      this.repository.consumeRateSince(filter, since),
    ]);
    return { quota, rpm: rate.requests, tpm: rate.tokens };
  }

  statOwn(userId: number, filter: LogFilter): Promise<LogStatView> {
    return this.stat(ownFilter(userId, filter));
  }

  /** Deletes logs created before `timestamp` (seconds); returns the number deleted. */
  async deleteBefore(timestamp: number): Promise<number> {
    if (!Number.isInteger(timestamp) || timestamp <= 0) {
      throw ApiError.badRequest('log/missing-target-timestamp', 'target_timestamp is required');
    }
    return this.repository.deleteCreatedBefore(timestamp);
  }

  private shouldKeep(entry: LogRecord): boolean {
    return entry.type !== LogType.Consume || this.options.getBool('LogConsumeEnabled');
  }
}

/** A user's own filter: their user id, and none of the admin-only filters (username, channel). */
function ownFilter(userId: number, filter: LogFilter): LogFilter {
  const { username: _username, channelId: _channelId, ...rest } = filter;
  return { ...rest, userId };
}
