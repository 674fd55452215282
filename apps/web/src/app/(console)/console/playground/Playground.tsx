'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { TokenStatus, type Page, type TokenView } from '@your-api/contracts';
import { streamChatCompletion, type ChatMessage } from '@/lib/api-client';
import { useI18n } from '@/lib/i18n/context';
import { useApi } from '@/lib/use-api';
import styles from './playground.module.css';
import consoleStyles from '../../console.module.css';

/**
 * Chat with a model through the relay (/v1/chat/completions, streamed) using one of the user's
 * API keys; the reply is shown piece by piece as it arrives.
 */
export function Playground() {
  const { m } = useI18n();
  const models = useApi<string[]>('/api/user/models');
  const tokens = useApi<Page<TokenView>>('/api/token/', { p: 1, page_size: 100 });
  const usable = (tokens.data?.items ?? []).filter((t) => t.status === TokenStatus.Enabled);
  // `?token=<id>` (from /chat2link) picks the key; otherwise the first model and usable key are preselected.
  const requestedToken = Number(useSearchParams().get('token')) || null;
  const [pickedModel, setModel] = useState('');
  const [pickedToken, setTokenId] = useState<number | null>(requestedToken);
  const [system, setSystem] = useState('');
  const [temperature, setTemperature] = useState('0.7');
  const [maxTokens, setMaxTokens] = useState('');
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [input, setInput] = useState('');
  const [streaming, setStreaming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const bottom = useRef<HTMLDivElement>(null);

  const model = pickedModel || models.data?.[0] || '';
  const tokenId = usable.some((t) => t.id === pickedToken) ? pickedToken : (usable[0]?.id ?? null);
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages]);
  useEffect(() => () => abort.current?.abort(), []);

  const token = usable.find((t) => t.id === tokenId);

  async function send(e?: FormEvent) {
    e?.preventDefault();
    const text = input.trim();
    if (!text || !token || !model || streaming) return;
    const history: ChatMessage[] = [...messages, { role: 'user', content: text }];
    setMessages([...history, { role: 'assistant', content: '' }]);
    setInput('');
    setError(null);
    setStreaming(true);
    const controller = new AbortController();
    abort.current = controller;
    try {
      await streamChatCompletion({
        apiKey: token.key,
        model,
        messages: system.trim() ? [{ role: 'system', content: system.trim() }, ...history] : history,
        temperature: temperature === '' ? undefined : Number(temperature),
        maxTokens: maxTokens ? Number(maxTokens) : undefined,
        signal: controller.signal,
        onDelta: (delta) =>
          setMessages((prev) => {
            const next = prev.slice();
            const last = next[next.length - 1];
            next[next.length - 1] = { ...last, content: last.content + delta };
            return next;
          }),
      });
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

  const noToken = !tokens.loading && usable.length === 0;
  return (
    <section>
      <h1 className={consoleStyles.heading} style={{ marginBottom: 16 }}>
        {m.playground.title}
      </h1>
      {noToken ? (
        <p className="alert" data-testid="playground-no-token">
          {m.playground.noToken} <Link href="/console/tokens">{m.sidebar.tokens}</Link>
        </p>
      ) : null}
      <div className={styles.layout}>
        <div className={`card ${styles.settings}`}>
          <div className="field">
            <label htmlFor="pg-model">{m.playground.model}</label>
            <select id="pg-model" className="input" value={model} onChange={(e) => setModel(e.target.value)}>
              {(models.data ?? []).length === 0 ? <option value="">{m.playground.noModels}</option> : null}
              {(models.data ?? []).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="pg-token">{m.playground.token}</label>
            <select id="pg-token" className="input" value={tokenId ?? ''} onChange={(e) => setTokenId(Number(e.target.value))}>
              {usable.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="pg-temperature">{m.playground.temperature}</label>
            <input id="pg-temperature" type="number" min={0} max={2} step={0.1} className="input" value={temperature} onChange={(e) => setTemperature(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="pg-max-tokens">{m.playground.maxTokens}</label>
            <input id="pg-max-tokens" type="number" min={1} step={1} className="input" value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="pg-system">{m.playground.system}</label>
            <textarea id="pg-system" className="input" rows={3} value={system} onChange={(e) => setSystem(e.target.value)} />
          </div>
          <button type="button" className="btn" onClick={() => setMessages([])} disabled={streaming || messages.length === 0}>
            {m.playground.clear}
          </button>
        </div>
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
            <p className="alert" role="alert" style={{ margin: '0 12px' }}>
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
              <button type="submit" className="btn btn-primary" disabled={!token || !model || !input.trim()} data-testid="chat-send">
                {m.playground.send}
              </button>
            )}
          </form>
        </div>
      </div>
    </section>
  );
}
