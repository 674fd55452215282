'use client';

import { useState } from 'react';
import { Role, type Page } from '@your-api/contracts';
import { Pager } from '@/components/ui/Pager';
import { useConsoleUser } from '@/lib/console-user';
import { formatQuota, formatUnixTime } from '@/lib/format';
import { useI18n } from '@/lib/i18n/context';
import { useSiteStatus } from '@/lib/site-context';
import { sunoClips, taskStatusBadge } from '@/lib/tasks';
import { useApi } from '@/lib/use-api';
import styles from '../../console.module.css';
import { usePaging } from '@/lib/use-paging';

interface MjTask {
  id: number;
  user_id: number;
  channel_id?: number;
  action: string;
  mj_id: string;
  prompt: string | null;
  submit_time: number;
  image_url: string | null;
  status: string;
  progress: string;
  fail_reason: string | null;
  quota: number;
}

interface SunoTask {
  id: number;
  user_id: number;
  channel_id?: number;
  task_id: string;
  action: string;
  status: string;
  progress: string;
  fail_reason: string | null;
  submit_time: number;
  quota: number;
  properties: string | null;
  data: string | null;
}

function promptOf(properties: string | null): string {
  try {
    const parsed = JSON.parse(properties ?? '{}') as { input?: unknown };
    return typeof parsed.input === 'string' ? parsed.input : '';
  } catch {
    return '';
  }
}

/** Midjourney tasks (with image previews) and Suno tasks (audio players, lyrics): own, or everyone's for admins. */
export function TasksPage() {
  const { m, locale } = useI18n();
  const status = useSiteStatus();
  const { user } = useConsoleUser();
  const isAdmin = user.role >= Role.Admin;
  const [tab, setTab] = useState<'mj' | 'suno'>('mj');
  const [scope, setScope] = useState<'all' | 'self'>(isAdmin ? 'all' : 'self');
  const { page, setPage, pageSize, pagerProps } = usePaging(10);
  const all = scope === 'all';
  const mj = useApi<Page<MjTask>>(tab === 'mj' ? (all ? '/api/mj/' : '/api/mj/self') : null, { p: page, page_size: pageSize });
  const suno = useApi<Page<SunoTask>>(tab === 'suno' ? (all ? '/api/task/' : '/api/task/self') : null, { p: page, page_size: pageSize, platform: 'suno' });
  const list = tab === 'mj' ? mj : suno;
  const t = m.tasks;
  const columns = all ? 9 : 7;

  const progressCell = (progress: string) => (
    <td>
      <progress max={100} value={Number.parseInt(progress, 10) || 0} aria-label={t.progress} /> <span className="muted">{progress || '0%'}</span>
    </td>
  );

  return (
    <section>
      <div className={styles.pageHead}>
        <h1 className={styles.heading}>{t.title}</h1>
        <div className="toolbar">
          {isAdmin ? (
            <select className="input input-sm" value={scope} aria-label={t.title} onChange={(e) => { setScope(e.target.value as 'all' | 'self'); setPage(1); }}>
              <option value="all">{t.everyone}</option>
              <option value="self">{t.mine}</option>
            </select>
          ) : null}
          <button type="button" className="btn btn-sm" onClick={() => list.reload()}>
            {t.refresh}
          </button>
        </div>
      </div>
      <p className="muted">{t.subtitle}</p>
      <div className="toolbar" role="tablist">
        {(['mj', 'suno'] as const).map((key) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            className={tab === key ? 'btn btn-primary' : 'btn'}
            data-testid={`tasks-tab-${key}`}
            onClick={() => { setTab(key); setPage(1); }}
          >
            {key === 'mj' ? t.midjourney : t.suno}
          </button>
        ))}
      </div>
      {list.error ? <p className="alert">{list.error}</p> : null}
      <div className="table-wrap">
        <table className="table" data-testid="tasks-table">
          <thead>
            <tr>
              <th>{t.submitted}</th>
              {all ? <th>{t.user}</th> : null}
              {all ? <th>{t.channel}</th> : null}
              <th>{t.action}</th>
              <th>{t.status}</th>
              <th>{t.progress}</th>
              <th>{t.prompt}</th>
              <th>{t.result}</th>
              <th className="num">{t.cost}</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.items.length ?? 0) === 0 ? (
              <tr>
                <td colSpan={columns} className="muted">
                  {list.loading ? m.common.loading : m.ui.noData}
                </td>
              </tr>
            ) : null}
            {tab === 'mj'
              ? (mj.data?.items ?? []).map((task) => (
                  <tr key={task.id} data-testid="mj-task-row" data-status={task.status}>
                    <td>{formatUnixTime(Math.floor(Number(task.submit_time) / 1000), locale)}</td>
                    {all ? <td>{task.user_id}</td> : null}
                    {all ? <td>{task.channel_id ? `#${task.channel_id}` : '—'}</td> : null}
                    <td className="mono">{task.action}</td>
                    <td>
                      <span className={taskStatusBadge(task.status)}>{task.status || '—'}</span>
                    </td>
                    {progressCell(task.progress)}
                    <td className="wrap">
                      <div className="mono muted">{task.mj_id}</div>
                      {task.prompt}
                      {task.fail_reason ? <div className="alert" data-testid="task-fail-reason">{`${t.failReason}: ${task.fail_reason}`}</div> : null}
                    </td>
                    <td>
                      {task.image_url ? (
                        <a href={task.image_url} target="_blank" rel="noreferrer">
                          {/* eslint-disable-next-line @next/next/no-img-element -- an upstream image proxied by the API */}
                          <img src={task.image_url} alt={task.prompt ?? task.mj_id} width={96} height={96} style={{ objectFit: 'cover', borderRadius: 6 }} data-testid="mj-preview" />
                        </a>
                      ) : (
                        <span className="muted">{t.noImage}</span>
                      )}
                    </td>
                    <td className="num">{formatQuota(Number(task.quota), status)}</td>
                  </tr>
                ))
              : (suno.data?.items ?? []).map((task) => {
                  const clips = sunoClips(task.data);
                  return (
                    <tr key={task.id} data-testid="suno-task-row" data-status={task.status}>
                      <td>{formatUnixTime(Number(task.submit_time), locale)}</td>
                      {all ? <td>{task.user_id}</td> : null}
                      {all ? <td>{task.channel_id ? `#${task.channel_id}` : '—'}</td> : null}
                      <td className="mono">{task.action}</td>
                      <td>
                        <span className={taskStatusBadge(task.status)}>{task.status || '—'}</span>
                      </td>
                      {progressCell(task.progress)}
                      <td className="wrap">
                        <div className="mono muted">{task.task_id}</div>
                        {promptOf(task.properties)}
                        {task.fail_reason ? <div className="alert" data-testid="task-fail-reason">{`${t.failReason}: ${task.fail_reason}`}</div> : null}
                      </td>
                      <td className="wrap">
                        {clips.length === 0 ? <span className="muted">{t.noAudio}</span> : null}
                        {clips.map((clip) => (
                          <div key={clip.id || clip.title} style={{ marginBottom: 8 }}>
                            {clip.title ? <strong>{clip.title}</strong> : null}
                            {clip.audioUrl ? <audio controls preload="none" src={clip.audioUrl} data-testid="suno-audio" style={{ display: 'block', maxWidth: 260 }} /> : null}
                            {clip.lyrics ? (
                              <details>
                                <summary>{t.lyrics}</summary>
                                <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{clip.lyrics}</pre>
                              </details>
                            ) : null}
                          </div>
                        ))}
                      </td>
                      <td className="num">{formatQuota(Number(task.quota), status)}</td>
                    </tr>
                  );
                })}
          </tbody>
        </table>
      </div>
      <Pager {...pagerProps(list.data?.total ?? 0)} />
    </section>
  );
}
