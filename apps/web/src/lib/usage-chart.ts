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
