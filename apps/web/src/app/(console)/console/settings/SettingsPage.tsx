'use client';

import { Switch, Tabs } from 'radix-ui';
import { useState } from 'react';
import { Role } from '@your-api/contracts';
import { CopyButton } from '@/components/ui/CopyButton';
import { api } from '@/lib/api-client';
import { useConsoleUser } from '@/lib/console-user';
import { format, type Messages } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { changedOptions, oauthCallbackUrl, optionProblem, optionWireValue, type OptionFieldKind, type OptionProblem, type OptionRule } from '@/lib/option-settings';
import { useApi } from '@/lib/use-api';
import { useOrigin } from '@/lib/use-browser';
import styles from '../../console.module.css';
import own from './settings.module.css';

interface OptionField extends OptionRule {
  label: (m: Messages) => string;
  hint?: (m: Messages) => string;
}
/** A titled block of fields; `callback` shows the address to register at that sign-in provider. */
interface FieldGroup {
  title?: (m: Messages) => string;
  callback?: 'github' | 'oidc' | 'linuxdo' | 'telegram';
  fields: OptionField[];
}
interface Section {
  id: string;
  label: (m: Messages) => string;
  note?: (m: Messages) => string;
  groups: FieldGroup[];
}

type FieldKey = keyof Messages['optionSettings']['fields'];
/** A field labelled from optionSettings.fields by its option key. */
const opt = (key: FieldKey, kind: OptionFieldKind, extra: Partial<OptionField> = {}): OptionField => ({
  key,
  kind,
  label: (m) => m.optionSettings.fields[key],
  ...extra,
});
const count = (key: FieldKey) => opt(key, 'int', { min: 0 });

const SECTIONS: Section[] = [
  {
    id: 'general',
    label: (m) => m.settings.general,
    groups: [
      {
        fields: [
          { key: 'SystemName', label: (m) => m.settings.systemName, kind: 'text' },
          { key: 'ServerAddress', label: (m) => m.settings.serverAddress, kind: 'text' },
          { key: 'Logo', label: (m) => m.settings.logo, kind: 'text' },
          { key: 'QuotaPerUnit', label: (m) => m.settings.quotaPerUnit, kind: 'number', min: 0 },
          { key: 'DisplayInCurrencyEnabled', label: (m) => m.settings.displayInCurrency, kind: 'bool' },
        ],
      },
    ],
  },
  {
    id: 'content',
    label: (m) => m.settings.content,
    groups: [
      {
        fields: [
          { key: 'Notice', label: (m) => m.settings.notice, kind: 'longtext' },
          { key: 'HomePageContent', label: (m) => m.settings.homePageContent, kind: 'longtext' },
          { key: 'About', label: (m) => m.settings.about, kind: 'longtext' },
          { key: 'Footer', label: (m) => m.settings.footer, kind: 'longtext' },
        ],
      },
    ],
  },
  {
    id: 'oauth',
    label: (m) => m.optionSettings.oauth,
    groups: [
      {
        title: (m) => m.optionSettings.passwordSection,
        fields: [opt('PasswordLoginEnabled', 'bool'), opt('PasswordRegisterEnabled', 'bool'), opt('RegisterEnabled', 'bool'), opt('EmailVerificationEnabled', 'bool')],
      },
      {
        title: (m) => m.optionSettings.githubSection,
        callback: 'github',
        fields: [opt('GitHubOAuthEnabled', 'bool'), opt('GitHubClientId', 'text'), opt('GitHubClientSecret', 'secret')],
      },
      {
        title: (m) => m.optionSettings.oidcSection,
        callback: 'oidc',
        fields: [
          opt('oidc.enabled', 'bool'),
          opt('oidc.client_id', 'text'),
          opt('oidc.client_secret', 'secret'),
          opt('oidc.well_known', 'text'),
          opt('oidc.authorization_endpoint', 'text'),
          opt('oidc.token_endpoint', 'text'),
          opt('oidc.user_info_endpoint', 'text'),
        ],
      },
      {
        title: (m) => m.optionSettings.linuxdoSection,
        callback: 'linuxdo',
        fields: [opt('LinuxDOOAuthEnabled', 'bool'), opt('LinuxDOClientId', 'text'), opt('LinuxDOClientSecret', 'secret'), count('LinuxDOMinimumTrustLevel')],
      },
      {
        title: (m) => m.optionSettings.telegramSection,
        callback: 'telegram',
        fields: [opt('TelegramOAuthEnabled', 'bool'), opt('TelegramBotName', 'text'), opt('TelegramBotToken', 'secret')],
      },
    ],
  },
  {
    id: 'operation',
    label: (m) => m.optionSettings.operation,
    groups: [
      {
        title: (m) => m.optionSettings.quotaSection,
        fields: [count('QuotaForNewUser'), count('QuotaForInviter'), count('QuotaForInvitee'), count('PreConsumedQuota'), count('QuotaRemindThreshold')],
      },
      {
        title: (m) => m.optionSettings.channelSection,
        fields: [
          count('RetryTimes'),
          opt('ChannelDisableThreshold', 'number', { min: 0 }),
          opt('AutomaticDisableChannelEnabled', 'bool'),
          opt('AutomaticEnableChannelEnabled', 'bool'),
        ],
      },
      {
        title: (m) => m.optionSettings.displaySection,
        fields: [opt('USDExchangeRate', 'number', { min: 0 }), opt('LogConsumeEnabled', 'bool'), opt('DisplayInCurrencyEnabled', 'bool'), opt('DisplayTokenStatEnabled', 'bool')],
      },
      {
        title: (m) => m.optionSettings.rateLimitSection,
        fields: [
          opt('ModelRequestRateLimitEnabled', 'bool'),
          opt('ModelRequestRateLimitDurationMinutes', 'int', { min: 1 }),
          count('ModelRequestRateLimitCount'),
          opt('ModelRequestRateLimitSuccessCount', 'int', { min: 1 }),
          opt('ModelRequestRateLimitGroup', 'rateLimitGroups', { hint: (m) => m.optionSettings.rateLimitGroupHint }),
        ],
      },
    ],
  },
  {
    id: 'email',
    label: (m) => m.optionSettings.email,
    groups: [
      {
        fields: [
          opt('SMTPServer', 'text'),
          opt('SMTPPort', 'int', { min: 1 }),
          opt('SMTPAccount', 'text'),
          opt('SMTPFrom', 'text'),
          opt('SMTPToken', 'secret'),
          opt('SMTPSSLEnabled', 'bool'),
        ],
      },
    ],
  },
  {
    id: 'payment',
    label: (m) => m.optionSettings.payment,
    note: (m) => m.optionSettings.paymentNote,
    groups: [
      {
        title: (m) => m.optionSettings.epaySection,
        fields: [
          opt('PayAddress', 'text'),
          opt('EpayId', 'text'),
          opt('EpayKey', 'secret'),
          opt('Price', 'number', { min: 0 }),
          opt('MinTopUp', 'int', { min: 0 }),
          opt('CustomCallbackAddress', 'text'),
          opt('PayMethods', 'jsonList'),
          opt('TopupGroupRatio', 'json'),
          opt('payment_setting.amount_options', 'jsonList'),
          opt('payment_setting.amount_discount', 'json'),
        ],
      },
      {
        title: (m) => m.optionSettings.stripeSection,
        fields: [
          opt('StripeApiSecret', 'secret'),
          opt('StripeWebhookSecret', 'secret'),
          opt('StripePriceId', 'text'),
          opt('StripeUnitPrice', 'number', { min: 0 }),
          opt('StripeMinTopUp', 'int', { min: 0 }),
          opt('StripePromotionCodesEnabled', 'bool'),
        ],
      },
    ],
  },
  {
    id: 'ratios',
    label: (m) => m.settings.ratios,
    groups: [
      {
        fields: [
          { key: 'ModelRatio', label: (m) => m.settings.modelRatio, kind: 'json' },
          { key: 'CompletionRatio', label: (m) => m.settings.completionRatio, kind: 'json' },
          { key: 'ModelPrice', label: (m) => m.settings.modelPrice, kind: 'json' },
        ],
      },
    ],
  },
  {
    id: 'groups',
    label: (m) => m.settings.groups,
    groups: [
      {
        fields: [
          { key: 'GroupRatio', label: (m) => m.settings.groupRatio, kind: 'json' },
          { key: 'UserUsableGroups', label: (m) => m.settings.userUsableGroups, kind: 'json' },
        ],
      },
    ],
  },
];

const sectionFields = (section: Section) => section.groups.flatMap((g) => g.fields);
const isJsonKind = (kind: OptionFieldKind) => kind === 'json' || kind === 'jsonList' || kind === 'rateLimitGroups';

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function problemText(m: Messages, field: OptionField, problem: OptionProblem): string {
  const vars = { field: field.label(m), min: field.min ?? 0 };
  const templates: Record<OptionProblem, string> = {
    int: m.optionSettings.badInt,
    number: m.optionSettings.badNumber,
    min: m.optionSettings.badMin,
    json: m.settings.invalidJson,
    jsonList: m.optionSettings.badJsonList,
    rateLimitGroups: m.optionSettings.badRateLimitGroups,
  };
  return format(templates[problem], vars);
}

interface SaveReport {
  ok: boolean;
  lines: string[];
}

/** Root: options by section (GET/PUT /api/option/), each value checked before saving. */
export function SettingsPage() {
  const { m } = useI18n();
  const { user } = useConsoleUser();
  const origin = useOrigin();
  const options = useApi<Array<{ key: string; value: string }>>(user.role >= Role.Root ? '/api/option/' : null);
  const [saved, setSaved] = useState<Record<string, string>>({});
  const [values, setValues] = useState<Record<string, string>>({});
  /** Which secrets hold a value (GET /api/option/secrets: never the values), plus those stored from this page since. */
  const secretStatus = useApi<Array<{ key: string; set: boolean }>>(user.role >= Role.Root ? '/api/option/secrets' : null);
  const [secretsSaved, setSecretsSaved] = useState<Record<string, true>>({});
  const secretState = (key: string): 'set' | 'notSet' | 'unknown' => {
    if (secretsSaved[key]) return 'set';
    const row = secretStatus.data?.find((entry) => entry.key === key);
    return row ? (row.set ? 'set' : 'notSet') : 'unknown';
  };
  const [report, setReport] = useState<SaveReport | null>(null);
  const [pending, setPending] = useState(false);

  // Fresh options from the API replace the form (React's "adjust state when props change" pattern).
  const [loadedFrom, setLoadedFrom] = useState<typeof options.data>();
  if (options.data && options.data !== loadedFrom) {
    const jsonKeys = new Set(SECTIONS.flatMap((s) => sectionFields(s).filter((f) => isJsonKind(f.kind)).map((f) => f.key)));
    const map = Object.fromEntries(options.data.map(({ key, value }) => [key, jsonKeys.has(key) ? prettyJson(value) : value]));
    setLoadedFrom(options.data);
    setSaved(map);
    setValues(map);
  }

  if (user.role < Role.Root) return <p className="alert">{m.settings.rootOnly}</p>;

  async function save(section: Section) {
    const changed = changedOptions(sectionFields(section), values, saved);
    const problems = changed.flatMap((field) => {
      const problem = optionProblem(field, values[field.key] ?? '');
      return problem ? [problemText(m, field, problem)] : [];
    });
    if (problems.length > 0) {
      setReport({ ok: false, lines: problems });
      return;
    }
    if (changed.length === 0) {
      setReport({ ok: true, lines: [m.settings.nothingChanged] });
      return;
    }
    setPending(true);
    const savedLabels: string[] = [];
    const failures: string[] = [];
    // One key at a time, in order: a provider's switch must follow its client id.
    for (const field of changed) {
      const raw = values[field.key] ?? '';
      const res = await api.put('/api/option/', { key: field.key, value: optionWireValue(field, raw) });
      if (!res.success) {
        failures.push(format(m.optionSettings.failedKey, { field: field.label(m), message: res.message }));
        continue;
      }
      savedLabels.push(field.label(m));
      if (field.kind === 'secret') {
        setSecretsSaved((s) => ({ ...s, [field.key]: true }));
        setValues((v) => ({ ...v, [field.key]: '' }));
      } else {
        setSaved((s) => ({ ...s, [field.key]: raw }));
      }
    }
    setPending(false);
    const lines = [...(savedLabels.length > 0 ? [format(m.optionSettings.savedKeys, { keys: savedLabels.join(', ') })] : []), ...failures];
    setReport({ ok: failures.length === 0, lines });
  }

  const set = (key: string, value: string) => setValues((v) => ({ ...v, [key]: value }));

  function renderField(field: OptionField) {
    const id = `option-${field.key}`;
    const value = values[field.key] ?? '';
    if (field.kind === 'bool') {
      return (
        <div key={field.key} className={own.switchRow}>
          <Switch.Root id={id} className={own.switch} checked={value === 'true'} onCheckedChange={(checked) => set(field.key, String(checked))}>
            <Switch.Thumb className={own.thumb} />
          </Switch.Root>
          <label htmlFor={id}>{field.label(m)}</label>
        </div>
      );
    }
    if (field.kind === 'secret') {
      const state = secretState(field.key);
      const stateText = { set: m.optionSettings.secretSet, notSet: m.optionSettings.secretNotSet, unknown: m.optionSettings.secretUnknown }[state];
      return (
        <div key={field.key} className="field">
          <div className={own.secretLabel}>
            <label htmlFor={id}>{field.label(m)}</label>
            <span className={`badge ${state === 'set' ? 'badge-ok' : ''}`} data-testid={`secret-state-${field.key}`} data-state={state}>
              {stateText}
            </span>
          </div>
          <input
            id={id}
            className="input"
            type="password"
            autoComplete="new-password"
            placeholder={state === 'set' ? m.account.secretReplace : ''}
            value={value}
            onChange={(e) => set(field.key, e.target.value)}
          />
          <p className="hint">{m.optionSettings.secretHint}</p>
        </div>
      );
    }
    const long = field.kind === 'longtext' || isJsonKind(field.kind);
    const problem = value !== (saved[field.key] ?? '') || isJsonKind(field.kind) ? optionProblem(field, value) : null;
    const shownProblem = problem && !(isJsonKind(field.kind) && value === '') ? problem : null;
    const numeric = field.kind === 'int' || field.kind === 'number';
    return (
      <div key={field.key} className={`field ${long ? 'span-2' : ''}`}>
        <label htmlFor={id}>{field.label(m)}</label>
        {long ? (
          <textarea id={id} className="input" rows={isJsonKind(field.kind) ? 8 : 5} spellCheck={false} aria-invalid={shownProblem !== null} value={value} onChange={(e) => set(field.key, e.target.value)} />
        ) : (
          <input
            id={id}
            className="input"
            type="text"
            inputMode={numeric ? (field.kind === 'int' ? 'numeric' : 'decimal') : undefined}
            aria-invalid={shownProblem !== null}
            value={value}
            onChange={(e) => set(field.key, e.target.value)}
          />
        )}
        {field.hint ? <p className="hint">{field.hint(m)}</p> : null}
        {shownProblem ? <p className="field-error">{problemText(m, field, shownProblem)}</p> : null}
      </div>
    );
  }

  function renderCallback(provider: NonNullable<FieldGroup['callback']>) {
    if (provider === 'telegram') {
      const host = (() => {
        try {
          return new URL(saved['ServerAddress']?.trim() || origin).host;
        } catch {
          return '';
        }
      })();
      return (
        <div className={own.callback} data-testid="callback-telegram">
          <span className="muted">{m.optionSettings.telegramDomain}</span>
          <code>{host}</code>
        </div>
      );
    }
    const url = oauthCallbackUrl(saved['ServerAddress'], origin, provider);
    return (
      <div className={own.callback} data-testid={`callback-${provider}`}>
        <span className="muted">{m.optionSettings.callbackUrl}</span>
        <code>{url}</code>
        <CopyButton text={url} />
      </div>
    );
  }

  return (
    <section>
      <h1 className={styles.heading} style={{ marginBottom: 16 }}>
        {m.settings.title}
      </h1>
      {options.error ? <p className="alert">{options.error}</p> : null}
      <Tabs.Root defaultValue="general" onValueChange={() => setReport(null)}>
        <Tabs.List className="tabs-list" aria-label={m.settings.title} data-testid="settings-tabs">
          {SECTIONS.map((s) => (
            <Tabs.Trigger key={s.id} value={s.id} className="tabs-trigger">
              {s.label(m)}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {SECTIONS.map((section) => (
          <Tabs.Content key={section.id} value={section.id} className="card" data-testid={`settings-${section.id}`}>
            {section.note ? (
              <p className="alert" style={{ marginTop: 0 }}>
                {section.note(m)}
              </p>
            ) : null}
            <div className="form-grid">
              {section.groups.flatMap((group, index) => [
                group.title ? (
                  <h2 key={`title-${index}`} className={own.groupTitle}>
                    {group.title(m)}
                  </h2>
                ) : null,
                group.callback ? <div key={`callback-${index}`} className="span-2">{renderCallback(group.callback)}</div> : null,
                ...group.fields.map(renderField),
              ])}
            </div>
            {report ? (
              <ul className={`${own.messages} ${report.ok ? 'notice' : 'alert'}`} role="status" data-testid="settings-report">
                {report.lines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
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
