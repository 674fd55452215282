'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { api } from '@/lib/api-client';
import { useI18n } from '@/lib/i18n/context';
import { useApi } from '@/lib/use-api';
import styles from '../auth.module.css';

interface SetupState {
  status: boolean;
  root_init: boolean;
  database_type: string;
}

/** First run (New API /setup): while GET /api/setup says it is not done, create the root user with POST /api/setup. */
export function SetupForm() {
  const { m } = useI18n();
  const state = useApi<SetupState>('/api/setup');
  const [form, setForm] = useState({ username: 'root', password: '', confirm: '', selfUse: false, demo: false });
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    if (!form.username.trim() || form.password.length < 8 || form.password.length > 20) return setError(m.setup.required);
    if (form.password !== form.confirm) return setError(m.setup.mismatch);
    setPending(true);
    const res = await api.post('/api/setup', {
      username: form.username.trim(),
      password: form.password,
      confirmPassword: form.confirm,
      SelfUseModeEnabled: form.selfUse,
      DemoSiteEnabled: form.demo,
    });
    setPending(false);
    if (res.success) setDone(true);
    else setError(res.message || `HTTP ${res.status}`);
  }

  const finished = done || state.data?.status === true;
  return (
    <div className={`card ${styles.panel}`}>
      <h1 className={styles.title}>{m.setup.title}</h1>
      <p className={`muted ${styles.subtitle}`}>{m.setup.subtitle}</p>
      {state.loading && !state.data ? <p className="muted">{m.common.loading}</p> : null}
      {state.error ? <p className="alert">{state.error}</p> : null}
      {finished ? (
        <p className="alert" data-testid="setup-done">
          {done ? m.setup.done : m.setup.alreadyDone} <Link href="/login">{m.login.submit}</Link>
        </p>
      ) : state.data ? (
        <form id="setup-form" className={styles.form} onSubmit={onSubmit} noValidate>
          <div className="field">
            <label htmlFor="setup-username">{m.setup.username}</label>
            <input id="setup-username" className="input" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
          </div>
          <div className="field">
            <label htmlFor="setup-password">{m.setup.password}</label>
            <input id="setup-password" type="password" className="input" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required />
          </div>
          <div className="field">
            <label htmlFor="setup-confirm">{m.setup.confirmPassword}</label>
            <input id="setup-confirm" type="password" className="input" autoComplete="new-password" value={form.confirm} onChange={(e) => setForm({ ...form, confirm: e.target.value })} required />
          </div>
          <label className={styles.check}>
            <input type="checkbox" checked={form.selfUse} onChange={(e) => setForm({ ...form, selfUse: e.target.checked })} /> {m.setup.selfUse}
          </label>
          <label className={styles.check}>
            <input type="checkbox" checked={form.demo} onChange={(e) => setForm({ ...form, demo: e.target.checked })} /> {m.setup.demoSite}
          </label>
          {error ? (
            <p className="alert" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className={`btn btn-primary ${styles.submit}`} disabled={pending}>
            {m.setup.submit}
          </button>
        </form>
      ) : null}
    </div>
  );
}
