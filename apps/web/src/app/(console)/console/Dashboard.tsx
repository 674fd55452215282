'use client';

import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Role, type QuotaDataView } from '@your-api/contracts';
import { useConsoleUser } from '@/lib/console-user';
import { formatQuota, roleName } from '@/lib/format';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';
import { callsByModel, usageSeriesBy, type Granularity } from '@/lib/usage-chart';
import { useApi } from '@/lib/use-api';
import styles from '../console.module.css';

const RANGES = { '1d': 86400, '7d': 7 * 86400, '30d': 30 * 86400 } as const;
type RangeKey = keyof typeof RANGES;
const COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#db2777', '#7c3aed', '#0891b2', '#dc2626', '#65a30d', '#ea580c', '#4b5563'];

/**
 * Cards from /api/user/self; usage by model over time (hour, day or week buckets) and the share of
 * calls per model from /api/data/self, or for admins /api/data/ over all users or one username.
 */
export function Dashboard() {
  const { m, locale } = useI18n();
  const status = useSiteStatus();
  const { user, reload } = useConsoleUser();
  const [range, setRange] = useState<RangeKey>('7d');
  const [granularity, setGranularity] = useState<Granularity>('day');
  const [now] = useState(() => Math.floor(Date.now() / 1000));
  const isAdmin = (user.role ?? 0) >= Role.Admin;
  const [usernameInput, setUsernameInput] = useState('');
  const [username, setUsername] = useState('');

  // The shell read the profile when the console opened; numbers may have moved since.
  useEffect(() => {
    void reload();
  }, [reload]);

  const data = useApi<QuotaDataView[]>(isAdmin ? '/api/data/' : '/api/data/self', {
    start_timestamp: now - RANGES[range],
    end_timestamp: now + 3600,
    username: isAdmin && username ? username : undefined,
  });
  const series = useMemo(() => {
    const fmt = new Intl.DateTimeFormat(
      locale === 'zh' ? 'zh-CN' : 'en-US',
      granularity === 'hour' ? { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric' },
    );
    return usageSeriesBy(data.data ?? [], granularity, (start) => fmt.format(new Date(start * 1000)));
  }, [data.data, granularity, locale]);
  const calls = useMemo(() => callsByModel(data.data ?? []), [data.data]);
  const colorOf = (model: string) => COLORS[Math.max(0, series.models.indexOf(model)) % COLORS.length];

  function applyUsername(e: FormEvent) {
    e.preventDefault();
    setUsername(usernameInput.trim());
  }

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
        <div className="toolbar" style={{ margin: 0 }}>
          <label className="field">
            <span className="visually-hidden">{m.dashboard.range}</span>
            <select className="input input-sm" value={range} aria-label={m.dashboard.range} onChange={(e) => setRange(e.target.value as RangeKey)}>
              <option value="1d">{m.dashboard.range1d}</option>
              <option value="7d">{m.dashboard.range7d}</option>
              <option value="30d">{m.dashboard.range30d}</option>
            </select>
          </label>
          <label className="field">
            <span className="visually-hidden">{m.dashboardMore.granularity}</span>
            <select
              id="dashboard-granularity"
              className="input input-sm"
              value={granularity}
              aria-label={m.dashboardMore.granularity}
              onChange={(e) => setGranularity(e.target.value as Granularity)}
            >
              <option value="hour">{m.dashboardMore.hour}</option>
              <option value="day">{m.dashboardMore.day}</option>
              <option value="week">{m.dashboardMore.week}</option>
            </select>
          </label>
          {isAdmin ? (
            <form className="row-actions" onSubmit={applyUsername} data-testid="dashboard-user-filter">
              <input
                id="dashboard-username"
                className="input input-sm"
                aria-label={m.dashboardMore.username}
                placeholder={m.dashboardMore.usernamePlaceholder}
                value={usernameInput}
                onChange={(e) => setUsernameInput(e.target.value)}
              />
              <button type="submit" className="btn btn-sm">
                {m.dashboardMore.apply}
              </button>
            </form>
          ) : null}
        </div>
      </div>
      <dl className={styles.grid}>
        {cards.map(([id, label, value]) => (
          <div key={id} className={`card ${styles.stat}`}>
            <dt className="muted">{label}</dt>
            <dd data-testid={`stat-${id}`} title={value}>
              {value}
            </dd>
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
      {calls.length ? (
        <div className="card" style={{ marginTop: 16 }}>
          <h2 style={{ margin: '0 0 12px', fontSize: '1.1rem' }}>{m.dashboardMore.callsPie}</h2>
          <div style={{ width: '100%', height: 300 }} data-testid="calls-pie">
            <ResponsiveContainer>
              <PieChart>
                <Pie data={calls} dataKey="count" nameKey="model" innerRadius="45%" outerRadius="80%" isAnimationActive={false}>
                  {calls.map((share) => (
                    <Cell key={share.model} fill={colorOf(share.model)} />
                  ))}
                </Pie>
                <Tooltip />
                <Legend />
              </PieChart>
            </ResponsiveContainer>
          </div>
        </div>
      ) : null}
    </section>
  );
}
