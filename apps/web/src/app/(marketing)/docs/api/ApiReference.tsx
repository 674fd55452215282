'use client';

import Link from 'next/link';
import { CopyButton } from '@/components/ui/CopyButton';
import type { Messages } from '@/lib/i18n/dictionary';
import { useI18n } from '@/lib/i18n/context';
import { useOrigin } from '@/lib/use-browser';

const KEY = 'sk-your-key';

type EndpointFormat = 'OpenAI' | 'Claude' | 'Gemini';
interface Endpoint {
  method: 'GET' | 'POST' | 'WS';
  path: string;
  format: EndpointFormat;
  purpose: (e: Messages['apiDocs']['endpoints']) => string;
}

/** The relay routes this gateway serves, as New API clients call them. */
const ENDPOINTS: Endpoint[] = [
  { method: 'POST', path: '/v1/chat/completions', format: 'OpenAI', purpose: (e) => e.chat },
  { method: 'POST', path: '/v1/completions', format: 'OpenAI', purpose: (e) => e.completions },
  { method: 'POST', path: '/v1/embeddings', format: 'OpenAI', purpose: (e) => e.embeddings },
  { method: 'POST', path: '/v1/responses', format: 'OpenAI', purpose: (e) => e.responses },
  { method: 'POST', path: '/v1/images/generations', format: 'OpenAI', purpose: (e) => e.imagesGenerate },
  { method: 'POST', path: '/v1/images/edits', format: 'OpenAI', purpose: (e) => e.imagesEdit },
  { method: 'POST', path: '/v1/audio/speech', format: 'OpenAI', purpose: (e) => e.speech },
  { method: 'POST', path: '/v1/audio/transcriptions', format: 'OpenAI', purpose: (e) => e.transcriptions },
  { method: 'POST', path: '/v1/audio/translations', format: 'OpenAI', purpose: (e) => e.translations },
  { method: 'POST', path: '/v1/moderations', format: 'OpenAI', purpose: (e) => e.moderations },
  { method: 'POST', path: '/v1/rerank', format: 'OpenAI', purpose: (e) => e.rerank },
  { method: 'WS', path: '/v1/realtime', format: 'OpenAI', purpose: (e) => e.realtime },
  { method: 'POST', path: '/v1/messages', format: 'Claude', purpose: (e) => e.messages },
  { method: 'POST', path: '/v1beta/models/{model}:generateContent', format: 'Gemini', purpose: (e) => e.generate },
  { method: 'POST', path: '/v1beta/models/{model}:streamGenerateContent', format: 'Gemini', purpose: (e) => e.streamGenerate },
  { method: 'GET', path: '/v1/models', format: 'OpenAI', purpose: (e) => e.models },
];

const INVALID_KEY = 'Invalid API key: check that it was copied whole';
/** What the gateway returns for a bad key, in each caller's format (HTTP 401). */
const ERROR_SHAPES: Array<[EndpointFormat, string]> = [
  ['OpenAI', JSON.stringify({ error: { message: INVALID_KEY, type: 'authentication_error', param: null, code: 'auth/invalid-api-key' } }, null, 2)],
  ['Claude', JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: INVALID_KEY } }, null, 2)],
  ['Gemini', JSON.stringify({ error: { code: 401, message: INVALID_KEY, status: 'UNAUTHENTICATED' } }, null, 2)],
];

function examples(base: string): Array<[string, string]> {
  const wsBase = base.replace(/^http/, 'ws');
  return [
    [
      'OpenAI — chat',
      `curl ${base}/v1/chat/completions \\
  -H "Authorization: Bearer ${KEY}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello!"}]}'`,
    ],
    [
      'OpenAI — reasoning effort suffix',
      `curl ${base}/v1/chat/completions \\
  -H "Authorization: Bearer ${KEY}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "o3-mini-high", "messages": [{"role": "user", "content": "Prove that √2 is irrational."}]}'`,
    ],
    [
      'Claude — messages',
      `curl ${base}/v1/messages \\
  -H "x-api-key: ${KEY}" \\
  -H "anthropic-version: 2023-06-01" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "claude-3-5-haiku-20241022", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello!"}]}'`,
    ],
    [
      'Gemini — generateContent',
      `curl "${base}/v1beta/models/gemini-2.0-flash:generateContent" \\
  -H "x-goog-api-key: ${KEY}" \\
  -H "Content-Type: application/json" \\
  -d '{"contents": [{"role": "user", "parts": [{"text": "Hello!"}]}]}'`,
    ],
    [
      'Embeddings',
      `curl ${base}/v1/embeddings \\
  -H "Authorization: Bearer ${KEY}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "text-embedding-3-small", "input": "Hello!"}'`,
    ],
    ['Realtime (WebSocket)', `${wsBase}/v1/realtime?model=gpt-4o-realtime-preview\nAuthorization: Bearer ${KEY}`],
  ];
}

function CodeBlock({ title, code, id }: { title: string; code: string; id: string }) {
  return (
    <section className="card" style={{ marginBottom: 16 }}>
      <div className="row-actions" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <h3 style={{ margin: 0, fontSize: '1rem' }}>{title}</h3>
        <CopyButton text={code} testId={`copy-${id}`} />
      </div>
      <pre style={{ overflowX: 'auto' }}>
        <code>{code}</code>
      </pre>
    </section>
  );
}

/** The developer reference: every relay route with its auth header, suffixes and error shapes, examples against this site. */
export function ApiReference() {
  const { m } = useI18n();
  const d = m.apiDocs;
  const origin = useOrigin();
  const base = origin || 'https://your-gateway.example';

  return (
    <div className="container" style={{ paddingTop: 32, paddingBottom: 48 }}>
      <p style={{ margin: 0 }}>
        <Link href="/docs">← {d.backToQuickStart}</Link>
      </p>
      <h1 style={{ marginBottom: 4 }}>{d.title}</h1>
      <p className="muted" style={{ marginTop: 0 }}>
        {d.subtitle}
      </p>
      <div className="card" style={{ marginBottom: 16 }}>
        <div className="field">
          <label>{d.baseUrl}</label>
          <div className="row-actions" style={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <code data-testid="api-docs-base-url">{base}</code>
            <CopyButton text={base} />
          </div>
        </div>
      </div>

      <h2>{d.authTitle}</h2>
      <div className="card" style={{ marginBottom: 16 }}>
        <p style={{ marginTop: 0 }}>{d.authBody}</p>
        <ul>
          <li>
            {d.authOpenAI}: <code>Authorization: Bearer {KEY}</code>
          </li>
          <li>
            {d.authClaude}: <code>x-api-key: {KEY}</code>
          </li>
          <li>
            {d.authGemini}: <code>x-goog-api-key: {KEY}</code> (<code>?key=</code>)
          </li>
        </ul>
        <p className="hint">{d.authNote}</p>
      </div>

      <h2>{d.endpointsTitle}</h2>
      <div className="table-wrap card" style={{ marginBottom: 16, padding: 0 }}>
        <table className="table" data-testid="api-endpoints">
          <thead>
            <tr>
              <th>{d.method}</th>
              <th>{d.path}</th>
              <th>{d.format}</th>
              <th>{d.purpose}</th>
            </tr>
          </thead>
          <tbody>
            {ENDPOINTS.map((endpoint) => (
              <tr key={endpoint.path} data-testid="api-endpoint">
                <td>
                  <span className="badge">{endpoint.method}</span>
                </td>
                <td className="wrap">
                  <code>{endpoint.path}</code>
                </td>
                <td>{endpoint.format}</td>
                <td className="wrap">{endpoint.purpose(d.endpoints)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{d.suffixTitle}</h2>
      <div className="card" style={{ marginBottom: 16 }}>
        <p style={{ marginTop: 0 }}>{d.suffixBody}</p>
        <ul style={{ marginBottom: 0 }}>
          <li>
            <code>-high</code> · <code>-medium</code> · <code>-low</code>: {d.suffixEffort}
          </li>
          <li>
            <code>-thinking</code>: {d.suffixThinking}
          </li>
        </ul>
      </div>

      <h2>{d.errorsTitle}</h2>
      <p className="muted">{d.errorsBody}</p>
      {ERROR_SHAPES.map(([format, shape]) => (
        <CodeBlock key={format} id={`error-${format.toLowerCase()}`} title={format} code={shape} />
      ))}

      <h2>{d.examplesTitle}</h2>
      {examples(base).map(([title, code], index) => (
        <CodeBlock key={title} id={`api-example-${index}`} title={title} code={code} />
      ))}
    </div>
  );
}
