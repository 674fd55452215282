import type { QuotaDataView } from '@your-api/contracts';

export interface UsageSeries {
  /** One row per time bucket: `{bucket, <model>: quota, …}` as recharts wants it. */
  rows: Array<Record<string, number | string>>;
  models: string[];
  totals: { quota: number; tokens: number; count: number };
}

/**
 * Sums hourly quota_data rows into buckets of `bucketSeconds` per model, oldest first, with
 * `label` naming each bucket. Models are ordered by total quota, largest first.
 */
export function usageSeries(rows: readonly QuotaDataView[], bucketSeconds: number, label: (start: number) => string): UsageSeries {
  const buckets = new Map<number, Record<string, number>>();
  const perModel = new Map<string, number>();
  const totals = { quota: 0, tokens: 0, count: 0 };
  for (const row of rows) {
    const start = Math.floor(row.created_at / bucketSeconds) * bucketSeconds;
    const bucket = buckets.get(start) ?? {};
    bucket[row.model_name] = (bucket[row.model_name] ?? 0) + row.quota;
    buckets.set(start, bucket);
    perModel.set(row.model_name, (perModel.get(row.model_name) ?? 0) + row.quota);
    totals.quota += row.quota;
    totals.tokens += row.token_used;
    totals.count += row.count;
  }
  const models = [...perModel.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const ordered = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  return { rows: ordered.map(([start, values]) => ({ bucket: label(start), ...values })), models, totals };
}

export type Granularity = 'hour' | 'day' | 'week';

/** Bucket widths of the dashboard's granularity control. */
export const GRANULARITY_SECONDS: Record<Granularity, number> = { hour: 3600, day: 86400, week: 7 * 86400 };

/** 1970-01-01 was a Thursday: shifting by 3 days makes week buckets start on Mondays (UTC). */
const MONDAY_OFFSET = 3 * 86400;

/** The start (unix seconds, UTC) of the bucket holding `seconds`. */
export function bucketStart(seconds: number, granularity: Granularity): number {
  const width = GRANULARITY_SECONDS[granularity];
  const offset = granularity === 'week' ? MONDAY_OFFSET : 0;
  return Math.floor((seconds + offset) / width) * width - offset;
}

/** Like `usageSeries`, bucketed by hour, day or Monday-based week. */
export function usageSeriesBy(rows: readonly QuotaDataView[], granularity: Granularity, label: (start: number) => string): UsageSeries {
  if (granularity !== 'week') return usageSeries(rows, GRANULARITY_SECONDS[granularity], label);
  const shifted = rows.map((row) => ({ ...row, created_at: bucketStart(row.created_at, 'week') + MONDAY_OFFSET }));
  return usageSeries(shifted, GRANULARITY_SECONDS.week, (start) => label(start - MONDAY_OFFSET));
}

export interface ModelShare {
  model: string;
  count: number;
}

/** Calls per model over all rows, most called first (the dashboard's call-count pie). */
export function callsByModel(rows: readonly QuotaDataView[]): ModelShare[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.model_name, (counts.get(row.model_name) ?? 0) + row.count);
  return [...counts.entries()]
    .filter(([, count]) => count > 0)
    .map(([model, count]) => ({ model, count }))
    .sort((a, b) => b.count - a.count || a.model.localeCompare(b.model));
}
