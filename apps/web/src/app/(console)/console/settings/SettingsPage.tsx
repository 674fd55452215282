'use client';

import { Tabs } from 'radix-ui';
import { useState } from 'react';
import { Role } from '@your-api/contracts';
import { api } from '@/lib/api-client';
import { useConsoleUser } from '@/lib/console-user';
import { format, type Messages } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useApi } from '@/lib/use-api';
import styles from '../../console.module.css';

type Kind = 'text' | 'longtext' | 'number' | 'bool' | 'json';
interface OptionField {
  key: string;
  label: (m: Messages) => string;
  kind: Kind;
}
interface Section {
  id: string;
  label: (m: Messages) => string;
  fields: OptionField[];
}

const SECTIONS: Section[] = [
  {
    id: 'general',
    label: (m) => m.settings.general,
    fields: [
      { key: 'SystemName', label: (m) => m.settings.systemName, kind: 'text' },
      { key: 'ServerAddress', label: (m) => m.settings.serverAddress, kind: 'text' },
      { key: 'Logo', label: (m) => m.settings.logo, kind: 'text' },
      { key: 'QuotaPerUnit', label: (m) => m.settings.quotaPerUnit, kind: 'number' },
      { key: 'DisplayInCurrencyEnabled', label: (m) => m.settings.displayInCurrency, kind: 'bool' },
    ],
  },
  {
    id: 'content',
    label: (m) => m.settings.content,
    fields: [
      { key: 'Notice', label: (m) => m.settings.notice, kind: 'longtext' },
      { key: 'HomePageContent', label: (m) => m.settings.homePageContent, kind: 'longtext' },
      { key: 'About', label: (m) => m.settings.about, kind: 'longtext' },
      { key: 'Footer', label: (m) => m.settings.footer, kind: 'longtext' },
    ],
  },
  {
    id: 'ratios',
    label: (m) => m.settings.ratios,
    fields: [
      { key: 'ModelRatio', label: (m) => m.settings.modelRatio, kind: 'json' },
      { key: 'CompletionRatio', label: (m) => m.settings.completionRatio, kind: 'json' },
      { key: 'ModelPrice', label: (m) => m.settings.modelPrice, kind: 'json' },
    ],
  },
  {
    id: 'groups',
    label: (m) => m.settings.groups,
    fields: [
      { key: 'GroupRatio', label: (m) => m.settings.groupRatio, kind: 'json' },
      { key: 'UserUsableGroups', label: (m) => m.settings.userUsableGroups, kind: 'json' },
    ],
  },
];

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Root: options by section (GET/PUT /api/option/), JSON editors checked before saving. */
export function SettingsPage() {
  const { m } = useI18n();
  const { user } = useConsoleUser();
  const options = useApi<Array<{ key: string; value: string }>>(user.role >= Role.Root ? '/api/option/' : null);
  const [saved, setSaved] = useState<Record<string, string>>({});
  const [values, setValues] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  // Fresh options from the API replace the form (React's "adjust state when props change" pattern).
  const [loadedFrom, setLoadedFrom] = useState<typeof options.data>();
  if (options.data && options.data !== loadedFrom) {
    const jsonKeys = new Set(SECTIONS.flatMap((s) => s.fields.filter((f) => f.kind === 'json').map((f) => f.key)));
    const map = Object.fromEntries(options.data.map(({ key, value }) => [key, jsonKeys.has(key) ? prettyJson(value) : value]));
    setLoadedFrom(options.data);
    setSaved(map);
    setValues(map);
  }

  if (user.role < Role.Root) return <p className="alert">{m.settings.rootOnly}</p>;

  async function save(section: Section) {
    const changed = section.fields.filter((f) => (values[f.key] ?? '') !== (saved[f.key] ?? ''));
    const invalid = changed.find((f) => f.kind === 'json' && !isJsonObject(values[f.key] ?? ''));
    if (invalid) {
      setMessage({ ok: false, text: format(m.settings.invalidJson, { field: invalid.label(m) }) });
      return;
    }
    if (changed.length === 0) {
      setMessage({ ok: true, text: m.settings.nothingChanged });
      return;
    }
    setPending(true);
    for (const field of changed) {
      const raw = values[field.key] ?? '';
      const value = field.kind === 'json' ? JSON.stringify(JSON.parse(raw)) : raw;
      const res = await api.put('/api/option/', { key: field.key, value });
      if (!res.success) {
        setPending(false);
        setMessage({ ok: false, text: `${field.label(m)}: ${res.message}` });
        return;
      }
      setSaved((s) => ({ ...s, [field.key]: raw }));
    }
    setPending(false);
    setMessage({ ok: true, text: m.ui.saved });
  }

  const set = (key: string, value: string) => setValues((v) => ({ ...v, [key]: value }));
  return (
    <section>
      <h1 className={styles.heading} style={{ marginBottom: 16 }}>
        {m.settings.title}
      </h1>
      {options.error ? <p className="alert">{options.error}</p> : null}
      <Tabs.Root defaultValue="general" onValueChange={() => setMessage(null)}>
        <Tabs.List className="tabs-list" aria-label={m.settings.title} data-testid="settings-tabs">
          {SECTIONS.map((s) => (
            <Tabs.Trigger key={s.id} value={s.id} className="tabs-trigger">
              {s.label(m)}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {SECTIONS.map((section) => (
          <Tabs.Content key={section.id} value={section.id} className="card">
            <div className="form-grid">
              {section.fields.map((field) => {
                const id = `option-${field.key}`;
                const value = values[field.key] ?? '';
                if (field.kind === 'bool') {
                  return (
                    <label key={field.key} className="check span-2">
                      <input id={id} type="checkbox" checked={value === 'true'} onChange={(e) => set(field.key, String(e.target.checked))} />
                      {field.label(m)}
                    </label>
                  );
                }
                const long = field.kind === 'longtext' || field.kind === 'json';
                const invalid = field.kind === 'json' && value !== '' && !isJsonObject(value);
                return (
                  <div key={field.key} className={`field ${long ? 'span-2' : ''}`}>
                    <label htmlFor={id}>{field.label(m)}</label>
                    {long ? (
                      <textarea id={id} className="input" rows={field.kind === 'json' ? 10 : 5} spellCheck={false} aria-invalid={invalid} value={value} onChange={(e) => set(field.key, e.target.value)} />
                    ) : (
                      <input id={id} className="input" type={field.kind === 'number' ? 'number' : 'text'} value={value} onChange={(e) => set(field.key, e.target.value)} />
                    )}
                    {invalid ? <p className="field-error">{format(m.settings.invalidJson, { field: field.label(m) })}</p> : null}
                  </div>
                );
              })}
            </div>
            {message ? (
              <p className={message.ok ? 'notice' : 'alert'} role="status" style={{ marginTop: 14 }}>
                {message.text}
              </p>
            ) : null}
            <div className={styles.actions}>
              <button type="button" className="btn btn-primary" disabled={pending} onClick={() => void save(section)}>
                {pending ? m.ui.saving : m.settings.saveSection}
              </button>
            </div>
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </section>
  );
}
