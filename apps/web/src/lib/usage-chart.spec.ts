import type { QuotaDataView } from '@your-api/contracts';
import { bucketStart, callsByModel, usageSeries, usageSeriesBy } from './usage-chart';

const HOUR = 3600;
const DAY = 86400;
/** 2024-01-01 00:00 UTC, a Monday. */
const MONDAY = Date.UTC(2024, 0, 1) / 1000;

function row(model: string, createdAt: number, quota: number, count = 1, tokens = 10): QuotaDataView {
  return { id: 0, user_id: 1, username: 'u', model_name: model, created_at: createdAt, token_used: tokens, count, quota };
}

describe('usageSeries', () => {
  it('sums quota per model and bucket, oldest bucket first, models by total quota', () => {
    const rows = [row('b', MONDAY + DAY + HOUR, 5), row('a', MONDAY + 2 * HOUR, 3), row('b', MONDAY + HOUR, 1), row('a', MONDAY + DAY, 4)];
    const series = usageSeries(rows, DAY, (start) => String((start - MONDAY) / DAY));
    expect(series.rows).toEqual([
      { bucket: '0', a: 3, b: 1 },
      { bucket: '1', a: 4, b: 5 },
    ]);
    expect(series.models).toEqual(['a', 'b']); // 7 before 6
    expect(series.totals).toEqual({ quota: 13, tokens: 40, count: 4 });
  });

  it('is empty for no rows', () => {
    expect(usageSeries([], HOUR, String)).toEqual({ rows: [], models: [], totals: { quota: 0, tokens: 0, count: 0 } });
  });
});

describe('usageSeriesBy', () => {
  it('buckets by hour', () => {
    const series = usageSeriesBy([row('a', MONDAY + 10, 1), row('a', MONDAY + HOUR + 10, 2)], 'hour', (s) => String(s));
    expect(series.rows).toEqual([
      { bucket: String(MONDAY), a: 1 },
      { bucket: String(MONDAY + HOUR), a: 2 },
    ]);
  });

  it('puts Sunday and the next Monday in different weeks that start on Mondays', () => {
    const sunday = MONDAY + 6 * DAY + 23 * HOUR;
    const nextMonday = MONDAY + 7 * DAY;
    const series = usageSeriesBy([row('a', MONDAY + HOUR, 1), row('a', sunday, 2), row('a', nextMonday, 4)], 'week', (s) => String(s));
    expect(series.rows).toEqual([
      { bucket: String(MONDAY), a: 3 },
      { bucket: String(nextMonday), a: 4 },
    ]);
  });
});

describe('bucketStart', () => {
  it('aligns days to midnight UTC and weeks to Monday midnight UTC', () => {
    expect(bucketStart(MONDAY + 3 * DAY + 5 * HOUR, 'day')).toBe(MONDAY + 3 * DAY);
    expect(bucketStart(MONDAY + 3 * DAY + 5 * HOUR, 'week')).toBe(MONDAY);
    expect(bucketStart(MONDAY - 1, 'week')).toBe(MONDAY - 7 * DAY);
  });
});

describe('callsByModel', () => {
  it('adds up calls per model, most called first, ties by name, zero-call models left out', () => {
    const rows = [row('b', 0, 1, 2), row('a', 0, 1, 3), row('c', 0, 1, 0), row('b', HOUR, 1, 1), row('d', 0, 1, 3)];
    expect(callsByModel(rows)).toEqual([
      { model: 'a', count: 3 },
      { model: 'b', count: 3 },
      { model: 'd', count: 3 },
    ]);
  });
});
