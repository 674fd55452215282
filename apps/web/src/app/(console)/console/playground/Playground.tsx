'use client';

import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { UsableGroupView } from '@your-api/contracts';
import { playgroundBody, playgroundChat, type ChatMessage } from '@/lib/api-client';
import { useI18n } from '@/lib/i18n/context';
import { useApi } from '@/lib/use-api';
import styles from './playground.module.css';
import consoleStyles from '../../console.module.css';

/** The raw answer kept for the debug view; a long stream is cut to its end. */
const RAW_LIMIT = 20_000;

const numberOrUndefined = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/**
 * New API's playground: chat with a model as the logged-in user through /pg/chat/completions
 * (session auth, billed to the wallet, no API key needed), in one of the user's usable groups.
 * Replies stream in piece by piece; a custom request body can replace the generated one, and the
 * debug view shows the body sent and the raw answer.
 */
export function Playground() {
  const { m } = useI18n();
  const groups = useApi<Record<string, UsableGroupView>>('/api/user/self/groups');
  // "auto" picks a group per request elsewhere; the playground names one group ('' = the user's own).
  const groupNames = Object.keys(groups.data ?? {}).filter((name) => name !== 'auto');
  const [group, setGroup] = useState('');
  const models = useApi<string[]>('/api/user/models', group ? { group } : undefined);
  const [pickedModel, setModel] = useState('');
  const [system, setSystem] = useState('');
  const [temperature, setTemperature] = useState('0.7');
  const [topP, setTopP] = useState('');
  const [maxTokens, setMaxTokens] = useState('');
  const [stream, setStream] = useState(true);
  const [customMode, setCustomMode] = useState(false);
  const [customBody, setCustomBody] = useState('');
  const [lastRequest, setLastRequest] = useState<string | null>(null);
  const [rawAnswer, setRawAnswer] = useState('');
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [input, setInput] = useState('');
  const [streaming, setStreaming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const bottom = useRef<HTMLDivElement>(null);

  const modelList = models.data ?? [];
  const model = modelList.includes(pickedModel) ? pickedModel : (modelList[0] ?? '');
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages]);
  useEffect(() => () => abort.current?.abort(), []);

  /** The body the settings produce for a conversation. */
  const bodyFor = (history: ChatMessage[]) =>
    playgroundBody({
      model,
      group,
      messages: system.trim() ? [{ role: 'system', content: system.trim() }, ...history] : history,
      temperature: numberOrUndefined(temperature),
      topP: numberOrUndefined(topP),
      maxTokens: numberOrUndefined(maxTokens),
      stream,
    });
  // What Send would post now (shown in the debug view until something is sent).
  const preview = JSON.stringify(bodyFor(input.trim() ? [...messages, { role: 'user', content: input.trim() }] : messages), null, 2);

  function toggleCustom(on: boolean) {
    if (on && !customBody.trim()) setCustomBody(preview);
    setCustomMode(on);
  }

  /** The custom body as JSON, with the typed message appended to its messages. */
  function customRequest(text: string): Record<string, unknown> | null {
    let parsed: unknown;
    try {
      parsed = JSON.parse(customBody);
    } catch (err) {
      setError(`${m.playground.customBodyInvalid} ${err instanceof Error ? err.message : ''}`.trim());
      return null;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      setError(m.playground.customBodyInvalid);
      return null;
    }
    const body = parsed as Record<string, unknown>;
    if (text) body.messages = [...(Array.isArray(body.messages) ? (body.messages as unknown[]) : []), { role: 'user', content: text }];
    return body;
  }

  async function send(e?: FormEvent) {
    e?.preventDefault();
    const text = input.trim();
    if (streaming || (!customMode && (!text || !model))) return;
    setError(null);
    const history: ChatMessage[] = text ? [...messages, { role: 'user', content: text }] : messages;
    const body = customMode ? customRequest(text) : bodyFor(history);
    if (!body) return;
    if (customMode) setCustomBody(JSON.stringify(body, null, 2));
    setLastRequest(JSON.stringify(body, null, 2));
    setRawAnswer('');
    setMessages([...history, { role: 'assistant', content: '' }]);
    setInput('');
    setStreaming(true);
    const controller = new AbortController();
    abort.current = controller;
    try {
      const reply = await playgroundChat({
        body,
        signal: controller.signal,
        onRaw: (raw) => setRawAnswer((prev) => (prev ? `${prev}\n${raw}` : raw).slice(-RAW_LIMIT)),
        onDelta: (delta) =>
          setMessages((prev) => {
            const next = prev.slice();
            const last = next[next.length - 1];
            next[next.length - 1] = { ...last, content: last.content + delta };
            return next;
          }),
      });
      // A custom body carries its own conversation: keep the reply in it for the next turn.
      if (customMode && Array.isArray(body.messages)) {
        setCustomBody(JSON.stringify({ ...body, messages: [...(body.messages as unknown[]), { role: 'assistant', content: reply }] }, null, 2));
      }
    } catch (err) {
      if (!(err instanceof Error && err.name === 'AbortError')) setError(err instanceof Error ? err.message : String(err));
    } finally {
      setStreaming(false);
      abort.current = null;
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  return (
    <section>
      <h1 className={consoleStyles.heading} style={{ marginBottom: 4 }}>
        {m.playground.title}
      </h1>
      <p className="muted" style={{ marginTop: 0, marginBottom: 16 }}>
        {m.playground.subtitle}
      </p>
      <div className={styles.layout}>
        <div className={`card ${styles.settings}`}>
          <div className="field">
            <label htmlFor="pg-group">{m.playground.group}</label>
            <select id="pg-group" className="input" value={group} onChange={(e) => setGroup(e.target.value)} data-testid="pg-group">
              <option value="">{m.playground.ownGroup}</option>
              {groupNames.map((name) => (
                <option key={name} value={name}>
                  {groups.data?.[name]?.desc ? `${name} — ${groups.data[name].desc}` : name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="pg-model">{m.playground.model}</label>
            <select id="pg-model" className="input" value={model} onChange={(e) => setModel(e.target.value)} disabled={customMode}>
              {modelList.length === 0 ? <option value="">{m.playground.noModels}</option> : null}
              {modelList.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div className={styles.numbers}>
            <div className="field">
              <label htmlFor="pg-temperature">{m.playground.temperature}</label>
              <input id="pg-temperature" type="number" min={0} max={2} step={0.1} className="input" value={temperature} onChange={(e) => setTemperature(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="pg-top-p">{m.playground.topP}</label>
              <input id="pg-top-p" type="number" min={0} max={1} step={0.05} className="input" value={topP} onChange={(e) => setTopP(e.target.value)} />
            </div>
          </div>
          <div className="field">
            <label htmlFor="pg-max-tokens">{m.playground.maxTokens}</label>
            <input id="pg-max-tokens" type="number" min={1} step={1} className="input" value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} />
          </div>
          <label className="check">
            <input type="checkbox" checked={stream} onChange={(e) => setStream(e.target.checked)} data-testid="pg-stream" />
            {m.playground.stream}
          </label>
          <div className="field">
            <label htmlFor="pg-system">{m.playground.system}</label>
            <textarea id="pg-system" className="input" rows={3} value={system} onChange={(e) => setSystem(e.target.value)} />
          </div>
          <label className="check">
            <input type="checkbox" checked={customMode} onChange={(e) => toggleCustom(e.target.checked)} data-testid="pg-custom-toggle" />
            {m.playground.customBody}
          </label>
          {customMode ? (
            <div className="field">
              <label htmlFor="pg-custom-body">{m.playground.customBodyLabel}</label>
              <textarea
                id="pg-custom-body"
                className={`input ${styles.code}`}
                rows={10}
                spellCheck={false}
                value={customBody}
                onChange={(e) => setCustomBody(e.target.value)}
                data-testid="pg-custom-body"
              />
            </div>
          ) : null}
          <button
            type="button"
            className="btn"
            onClick={() => {
              setMessages([]);
              setLastRequest(null);
              setRawAnswer('');
            }}
            disabled={streaming || messages.length === 0}
          >
            {m.playground.clear}
          </button>
        </div>
        <div className={styles.main}>
          <div className={`card ${styles.chat}`}>
            <div className={styles.messages} data-testid="chat-messages" aria-live="polite">
              {messages.length === 0 ? <p className="muted">{m.playground.empty}</p> : null}
              {messages.map((msg, i) => (
                <div key={i} className={`${styles.message} ${msg.role === 'user' ? styles.user : styles.assistant}`} data-testid={`chat-${msg.role}`}>
                  <span className={styles.role}>{msg.role === 'user' ? m.playground.you : m.playground.assistant}</span>
                  {msg.content || (streaming && i === messages.length - 1 ? '…' : '')}
                </div>
              ))}
              <div ref={bottom} />
            </div>
            {error ? (
              <p className="alert" role="alert" style={{ margin: '0 12px' }} data-testid="pg-error">
                {error}
              </p>
            ) : null}
            <form className={styles.composer} onSubmit={send}>
              <textarea
                className="input"
                rows={2}
                aria-label={m.playground.placeholder}
                placeholder={m.playground.placeholder}
                value={input}
                onChange={(e) => setInput(e.target.value)}
                onKeyDown={onKeyDown}
                data-testid="chat-input"
              />
              {streaming ? (
                <button type="button" className="btn" onClick={() => abort.current?.abort()}>
                  {m.playground.stop}
                </button>
              ) : (
                <button type="submit" className="btn btn-primary" disabled={customMode ? !customBody.trim() : !model || !input.trim()} data-testid="chat-send">
                  {m.playground.send}
                </button>
              )}
            </form>
          </div>
          <details className={`card ${styles.debug}`} data-testid="pg-debug">
            <summary>{m.playground.debug}</summary>
            <div className={styles.debugGrid}>
              <div>
                <h3>{lastRequest ? m.playground.requestSent : m.playground.requestPreview}</h3>
                <pre data-testid="pg-debug-request">{lastRequest ?? (customMode ? customBody : preview)}</pre>
              </div>
              <div>
                <h3>{m.playground.response}</h3>
                <pre data-testid="pg-debug-response">{rawAnswer || m.playground.noResponse}</pre>
              </div>
            </div>
          </details>
        </div>
      </div>
    </section>
  );
}
