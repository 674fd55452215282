import type { Metadata } from 'next';
import { formatDuration, formatUnixTime } from '@/lib/format';
import { getMessages } from '@/lib/i18n/server';
import { getStatus } from '@/lib/server-api';
import styles from './status.module.css';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getMessages();
  return { title: m.status.title };
}

function renderValue(value: unknown, yes: string, no: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? yes : no;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Shows GET /api/status: the key facts first, then every field. */
export default async function StatusPage() {
  const { m, locale } = await getMessages();
  const status = await getStatus();

  if (!status) {
    return (
      <div className="container" style={{ paddingTop: 40 }}>
        <h1>{m.status.title}</h1>
        <p className="alert">{m.status.unavailable}</p>
      </div>
    );
  }

  // A server component renders once per request: "now" is the request time.
  // eslint-disable-next-line react-hooks/purity
  const now = Math.floor(Date.now() / 1000);
  const facts: Array<[string, string]> = [
    [m.status.systemName, status.system_name || '—'],
    [m.status.version, status.version || '—'],
    [m.status.startTime, formatUnixTime(status.start_time, locale)],
    [m.status.uptime, status.start_time ? formatDuration(now - status.start_time) : '—'],
    [m.status.quotaPerUnit, renderValue(status.quota_per_unit, m.common.yes, m.common.no)],
    [m.status.setup, renderValue(status.setup, m.common.yes, m.common.no)],
  ];
  const fields = Object.keys(status).sort();

  return (
    <div className="container" style={{ paddingTop: 40 }}>
      <h1>{m.status.title}</h1>
      <p className="muted">{m.status.description}</p>

      <dl className={styles.facts}>
        {facts.map(([label, value]) => (
          <div key={label} className={`card ${styles.fact}`}>
            <dt className="muted">{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>

      <h2>{m.status.allFields}</h2>
      <div className={`card ${styles.tableWrap}`}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th>{m.status.field}</th>
              <th>{m.status.value}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((key) => (
              <tr key={key}>
                <td>
                  <code>{key}</code>
                </td>
                <td className={styles.value}>{renderValue(status[key], m.common.yes, m.common.no)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
