'use client';

import { useEffect, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { QuotaDataView } from '@your-api/contracts';
import { useConsoleUser } from '@/lib/console-user';
import { formatQuota, roleName } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';
import { usageSeries } from '@/lib/usage-chart';
import { useApi } from '@/lib/use-api';
import styles from '../console.module.css';

const RANGES = { '1d': 86400, '7d': 7 * 86400, '30d': 30 * 86400 } as const;
type RangeKey = keyof typeof RANGES;
const COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#db2777', '#7c3aed', '#0891b2', '#dc2626', '#65a30d', '#ea580c', '#4b5563'];

/** Cards from /api/user/self and a per-model usage chart from /api/data/self. */
export function Dashboard() {
  const { m, locale } = useI18n();
  const status = useSiteStatus();
  const { user, reload } = useConsoleUser();
  const [range, setRange] = useState<RangeKey>('7d');
  const [now] = useState(() => Math.floor(Date.now() / 1000));

  // The shell read the profile when the console opened; numbers may have moved since.
  useEffect(() => {
    void reload();
  }, [reload]);

  const data = useApi<QuotaDataView[]>('/api/data/self', { start_timestamp: now - RANGES[range], end_timestamp: now + 3600 });
  const series = useMemo(() => {
    const hourly = range === '1d';
    const fmt = new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-US', hourly ? { hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric' });
    return usageSeries(data.data ?? [], hourly ? 3600 : 86400, (start) => fmt.format(new Date(start * 1000)));
  }, [data.data, range, locale]);

  const cards: Array<[string, string, string]> = [
    ['balance', m.dashboard.balance, formatQuota(user.quota ?? 0, status)],
    ['used-quota', m.dashboard.usedQuota, formatQuota(user.used_quota ?? 0, status)],
    ['request-count', m.dashboard.requestCount, (user.request_count ?? 0).toLocaleString('en-US')],
    ['period-quota', m.dashboard.periodQuota, formatQuota(series.totals.quota, status)],
    ['period-tokens', m.dashboard.periodTokens, series.totals.tokens.toLocaleString('en-US')],
    ['period-count', m.dashboard.periodCount, series.totals.count.toLocaleString('en-US')],
  ];

  return (
    <section>
      <div className={styles.pageHead}>
        <div>
          <h1 className={styles.heading}>{m.dashboard.title}</h1>
          <p className="muted" style={{ margin: 0 }}>
            {format(m.console.welcome, { name: user.display_name || user.username })} · {roleName(user.role, m)} · {m.console.group}: {user.group || 'default'}
          </p>
        </div>
        <label className="field">
          <span className="visually-hidden">{m.dashboard.range}</span>
          <select className="input input-sm" value={range} aria-label={m.dashboard.range} onChange={(e) => setRange(e.target.value as RangeKey)}>
            <option value="1d">{m.dashboard.range1d}</option>
            <option value="7d">{m.dashboard.range7d}</option>
            <option value="30d">{m.dashboard.range30d}</option>
          </select>
        </label>
      </div>
      <dl className={styles.grid}>
        {cards.map(([id, label, value]) => (
          <div key={id} className={`card ${styles.stat}`}>
            <dt className="muted">{label}</dt>
            <dd data-testid={`stat-${id}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="card">
        <h2 style={{ margin: '0 0 12px', fontSize: '1.1rem' }}>{m.dashboard.usageChart}</h2>
        {data.error ? <p className="alert">{data.error}</p> : null}
        {series.rows.length === 0 ? (
          <p className="muted" data-testid="chart-empty">
            {data.loading ? m.common.loading : m.dashboard.chartEmpty}
          </p>
        ) : (
          <div style={{ width: '100%', height: 320 }} data-testid="usage-chart">
            <ResponsiveContainer>
              <BarChart data={series.rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="bucket" tick={{ fontSize: 12 }} />
                <YAxis tick={{ fontSize: 12 }} tickFormatter={(v: number) => formatQuota(v, status)} width={80} />
                <Tooltip formatter={(v) => formatQuota(Number(v), status)} />
                <Legend />
                {series.models.map((model, i) => (
                  <Bar key={model} dataKey={model} stackId="quota" fill={COLORS[i % COLORS.length]} maxBarSize={64} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
      </div>
    </section>
  );
}
