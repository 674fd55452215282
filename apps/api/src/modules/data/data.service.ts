import { BeforeApplicationShutdown, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { QuotaDataView } from '@your-api/contracts';
import { ApiError } from '../../common/api-error';
import { OptionsService } from '../options/options.service';
import { DataRepository, QuotaDataRange } from './data.repository';
import { UsageEvent, UsageRollup } from './usage-rollup';

/** A user may chart at most this span at once (New API: one month). */
export const MAX_SELF_RANGE_SECONDS = 30 * 24 * 3600;

const DEFAULT_EXPORT_MINUTES = 5;

export interface QuotaDataQuery {
  startTimestamp?: number;
  endTimestamp?: number;
  username?: string;
}

/**
 * Dashboard data (`quota_data`): usage is summed in memory per user, model and hour and written
 * every DataExportInterval minutes while DataExportEnabled, and once more at shutdown.
 */
@Injectable()
export class DataService implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(DataService.name);
  private readonly rollup = new UsageRollup();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly repository: DataRepository,
    private readonly options: OptionsService,
  ) {}

  onModuleInit(): void {
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush().catch((error: unknown) => this.logger.error(`final dashboard flush failed: ${String(error)}`));
  }

  /** Catches usage recorded by settlements that finished during onModuleDestroy. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush().catch((error: unknown) => this.logger.error(`late dashboard flush failed: ${String(error)}`));
  }

  /** Counts one request's usage toward its hour. Ignored while DataExportEnabled is off. */
  recordUsage(usage: UsageEvent): void {
    if (!this.options.getBool('DataExportEnabled')) return;
    this.rollup.add(usage);
  }

  /** Writes the summed usage now (one transaction); resolves with the number of (user, model, hour) keys written. */
  flush(): Promise<number> {
    return this.rollup.flush(this.repository);
  }

  /** Admin: one username's rows, or all users summed per model and hour. */
  listAll(query: QuotaDataQuery): Promise<QuotaDataView[]> {
    const range = rangeOf(query);
    return query.username ? this.repository.listForUsername(query.username, range) : this.repository.listSummedByModel(range);
  }

  /** A user's own rows; the span may not exceed a month. */
  listOwn(userId: number, query: QuotaDataQuery): Promise<QuotaDataView[]> {
    const range = rangeOf(query);
    if (range.end - range.start > MAX_SELF_RANGE_SECONDS) {
      throw ApiError.badRequest('data/range-too-long', 'The time span may not exceed one month');
    }
    return this.repository.listForUser(userId, range);
  }

  private schedule(): void {
    if (this.stopped) return;
    // Re-read each time so a changed interval applies from the next round.
    const minutes = this.options.getNumber('DataExportInterval');
    const delayMs = (minutes > 0 ? minutes : DEFAULT_EXPORT_MINUTES) * 60_000;
    this.timer = setTimeout(() => {
      this.timer = null;
      const work = this.options.getBool('DataExportEnabled') ? this.flush() : Promise.resolve(0);
      work
        .then((written) => {
          if (written > 0) this.logger.log(`dashboard data: wrote ${written} hourly row(s)`);
        })
        .catch((error: unknown) => this.logger.error(`dashboard flush failed (kept for the next round): ${String(error)}`))
        .finally(() => this.schedule());
    }, delayMs);
    this.timer.unref();
  }
}

/** Missing end: now; missing start: a month before the end. */
function rangeOf(query: QuotaDataQuery): QuotaDataRange {
  const end = query.endTimestamp ? Math.floor(query.endTimestamp) : Math.floor(Date.now() / 1000);
  const start = query.startTimestamp ? Math.floor(query.startTimestamp) : Math.max(0, end - MAX_SELF_RANGE_SECONDS);
  if (start > end) throw ApiError.badRequest('data/invalid-range', 'start_timestamp is after end_timestamp');
  return { start, end };
}
