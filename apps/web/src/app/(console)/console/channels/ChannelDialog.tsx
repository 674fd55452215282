'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { CHANNEL_TYPE_NAMES, ChannelType, type ChannelDetailView, type KnownModelView, type MultiKeyMode } from '@your-api/contracts';
import { Modal } from '@/components/ui/Modal';
import { api } from '@/lib/api-client';
import { modelMappingProblem, proxyOf, splitList, withProxy } from '@/lib/channel-form';
import { format } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useApi } from '@/lib/use-api';

interface Form {
  type: number;
  name: string;
  base_url: string;
  key: string;
  multiKey: boolean;
  multiKeyMode: MultiKeyMode;
  models: string;
  group: string;
  priority: string;
  weight: string;
  model_mapping: string;
  proxy: string;
  tag: string;
  test_model: string;
  auto_ban: boolean;
}

const NEW_CHANNEL: Form = {
  type: ChannelType.OpenAI,
  name: '',
  base_url: '',
  key: '',
  multiKey: false,
  multiKeyMode: 'random',
  models: '',
  group: 'default',
  priority: '0',
  weight: '0',
  model_mapping: '',
  proxy: '',
  tag: '',
  test_model: '',
  auto_ban: true,
};

function fromChannel(c: ChannelDetailView): Form {
  return {
    type: c.type,
    name: c.name,
    base_url: c.base_url ?? '',
    key: '',
    multiKey: Boolean(c.channel_info?.is_multi_key),
    multiKeyMode: c.channel_info?.multi_key_mode ?? 'random',
    models: c.models,
    group: c.group,
    priority: String(c.priority ?? 0),
    weight: String(c.weight ?? 0),
    model_mapping: c.model_mapping ?? '',
    proxy: proxyOf(c.setting),
    tag: c.tag ?? '',
    test_model: c.test_model ?? '',
    auto_ban: c.auto_ban !== 0,
  };
}

const TYPE_OPTIONS = Object.entries(CHANNEL_TYPE_NAMES)
  .map(([id, name]) => ({ id: Number(id), name }))
  .filter((t) => t.id !== ChannelType.Unknown)
  .sort((a, b) => a.name.localeCompare(b.name));

/** Create or edit a channel: every routing field, multi-key keys, model mapping and proxy. */
export function ChannelDialog({ channelId, onClose, onSaved }: { channelId: number | null; onClose: () => void; onSaved: () => void }) {
  const { m } = useI18n();
  const [form, setForm] = useState<Form>(NEW_CHANNEL);
  const [loaded, setLoaded] = useState<ChannelDetailView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const known = useApi<KnownModelView[]>('/api/channel/models');
  const groups = useApi<string[]>('/api/group/');

  useEffect(() => {
    if (channelId === null) return;
    void api.get<ChannelDetailView>(`/api/channel/${channelId}`).then((res) => {
      if (res.success && res.data) {
        setLoaded(res.data);
        setForm(fromChannel(res.data));
      } else setError(res.message);
    });
  }, [channelId]);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const mappingInvalid = modelMappingProblem(form.model_mapping);
  const isNew = channelId === null;

  function fillModels() {
    const ofType = (known.data ?? []).filter((k) => k.channel_type === form.type).map((k) => k.id);
    set('models', splitList([form.models, ...ofType].join(',')).join(','));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const models = splitList(form.models);
    if (!form.name.trim() || models.length === 0 || (isNew && !form.key.trim())) {
      setError(m.channels.required);
      return;
    }
    if (mappingInvalid) {
      setError(m.channels.modelMappingInvalid);
      return;
    }
    const fields = {
      type: form.type,
      name: form.name.trim(),
      base_url: form.base_url.trim(),
      models: models.join(','),
      group: splitList(form.group).join(',') || 'default',
      priority: Number(form.priority) || 0,
      weight: Number(form.weight) || 0,
      model_mapping: form.model_mapping.trim(),
      setting: withProxy(loaded?.setting, form.proxy),
      tag: form.tag.trim() || null,
      test_model: form.test_model.trim() || null,
      auto_ban: form.auto_ban ? 1 : 0,
      ...(form.key.trim() ? { key: form.key.trim() } : {}),
    };
    setPending(true);
    setError(null);
    const res = isNew
      ? await api.post('/api/channel/', {
          mode: form.multiKey ? 'multi_to_single' : 'batch',
          ...(form.multiKey ? { multi_key_mode: form.multiKeyMode } : {}),
          channel: fields,
        })
      : await api.put('/api/channel/', { ...fields, id: channelId, ...(form.multiKey ? { multi_key_mode: form.multiKeyMode } : {}) });
    setPending(false);
    if (!res.success) {
      setError(res.message);
      return;
    }
    onSaved();
  }

  return (
    <Modal
      open
      wide
      onOpenChange={(open) => !open && onClose()}
      title={isNew ? m.channels.createTitle : format(m.channels.editTitle, { id: channelId })}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {m.ui.cancel}
          </button>
          <button type="submit" form="channel-form" className="btn btn-primary" disabled={pending} data-testid="channel-submit">
            {pending ? m.ui.saving : m.ui.save}
          </button>
        </>
      }
    >
      <form id="channel-form" className="form-grid" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="channel-type">{m.channels.type}</label>
          <select id="channel-type" className="input" value={form.type} onChange={(e) => set('type', Number(e.target.value))}>
            {TYPE_OPTIONS.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.id})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="channel-name">{m.channels.name}</label>
          <input id="channel-name" className="input" value={form.name} onChange={(e) => set('name', e.target.value)} />
        </div>
        <div className="field span-2">
          <label htmlFor="channel-base-url">{m.channels.baseUrl}</label>
          <input id="channel-base-url" className="input" placeholder="https://api.openai.com" value={form.base_url} onChange={(e) => set('base_url', e.target.value)} />
          <p className="hint">{m.channels.baseUrlHint}</p>
        </div>
        <div className="field span-2">
          <label htmlFor="channel-key">{m.channels.key}</label>
          <textarea id="channel-key" className="input" rows={3} autoComplete="off" spellCheck={false} value={form.key} onChange={(e) => set('key', e.target.value)} />
          <p className="hint">{isNew ? m.channels.keyHint : m.channels.keyKeep}</p>
        </div>
        <label className="check">
          <input type="checkbox" checked={form.multiKey} disabled={!isNew} onChange={(e) => set('multiKey', e.target.checked)} />
          {m.channels.multiKey}
        </label>
        {form.multiKey ? (
          <div className="field">
            <label htmlFor="channel-multi-mode">{m.channels.multiKeyMode}</label>
            <select id="channel-multi-mode" className="input" value={form.multiKeyMode} onChange={(e) => set('multiKeyMode', e.target.value as MultiKeyMode)}>
              <option value="random">{m.channels.multiKeyRandom}</option>
              <option value="polling">{m.channels.multiKeyPolling}</option>
            </select>
          </div>
        ) : (
          <div />
        )}
        <div className="field span-2">
          <label htmlFor="channel-models">{m.channels.models}</label>
          <textarea id="channel-models" className="input" rows={2} value={form.models} onChange={(e) => set('models', e.target.value)} />
          <div className="row-actions" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
            <p className="hint">{m.channels.modelsHint}</p>
            <button type="button" className="btn btn-sm" onClick={fillModels}>
              {m.channels.fillModels}
            </button>
          </div>
        </div>
        <div className="field span-2">
          <label htmlFor="channel-groups">{m.channels.groups}</label>
          <input id="channel-groups" className="input" value={form.group} onChange={(e) => set('group', e.target.value)} list="channel-group-names" />
          <datalist id="channel-group-names">
            {(groups.data ?? []).map((g) => (
              <option key={g} value={g} />
            ))}
          </datalist>
          <p className="hint">
            {m.channels.groupsHint} {(groups.data ?? []).length ? `(${(groups.data ?? []).join(', ')})` : ''}
          </p>
        </div>
        <div className="field">
          <label htmlFor="channel-priority">{m.channels.priority}</label>
          <input id="channel-priority" type="number" step={1} className="input" value={form.priority} onChange={(e) => set('priority', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="channel-weight">{m.channels.weight}</label>
          <input id="channel-weight" type="number" min={0} step={1} className="input" value={form.weight} onChange={(e) => set('weight', e.target.value)} />
        </div>
        <div className="field span-2">
          <label htmlFor="channel-mapping">{m.channels.modelMapping}</label>
          <textarea
            id="channel-mapping"
            className="input"
            rows={3}
            spellCheck={false}
            aria-invalid={mappingInvalid}
            value={form.model_mapping}
            onChange={(e) => set('model_mapping', e.target.value)}
          />
          {mappingInvalid ? (
            <p className="field-error" data-testid="mapping-error">
              {m.channels.modelMappingInvalid}
            </p>
          ) : (
            <p className="hint">{m.channels.modelMappingHint}</p>
          )}
        </div>
        <div className="field">
          <label htmlFor="channel-proxy">{m.channels.proxy}</label>
          <input id="channel-proxy" className="input" placeholder="socks5://127.0.0.1:1080" value={form.proxy} onChange={(e) => set('proxy', e.target.value)} />
          <p className="hint">{m.channels.proxyHint}</p>
        </div>
        <div className="field">
          <label htmlFor="channel-tag">{m.channels.tag}</label>
          <input id="channel-tag" className="input" value={form.tag} onChange={(e) => set('tag', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="channel-test-model">{m.channels.testModel}</label>
          <input id="channel-test-model" className="input" value={form.test_model} onChange={(e) => set('test_model', e.target.value)} />
        </div>
        <label className="check">
          <input type="checkbox" checked={form.auto_ban} onChange={(e) => set('auto_ban', e.target.checked)} />
          {m.channels.autoBan}
        </label>
        {error ? (
          <p className="alert span-2" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </Modal>
  );
}
