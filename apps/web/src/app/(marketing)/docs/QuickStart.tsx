'use client';

import Link from 'next/link';
import { CopyButton } from '@/components/ui/CopyButton';
import { useI18n } from '@/lib/i18n/context';
import { useOrigin } from '@/lib/use-browser';

const KEY = 'sk-your-key';

function examples(base: string) {
  return {
    curl: `curl ${base}/v1/chat/completions \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer ${KEY}" \\
  -d '{
    "model": "gpt-4o-mini",
    "stream": true,
    "messages": [{"role": "user", "content": "Hello!"}]
  }'`,
    models: `curl ${base}/v1/models -H "Authorization: Bearer ${KEY}"`,
    openai: `import OpenAI from 'openai';

const client = new OpenAI({ apiKey: '${KEY}', baseURL: '${base}/v1' });

const stream = await client.chat.completions.create({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello!' }],
  stream: true,
});
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');`,
    openaiPy: `from openai import OpenAI

client = OpenAI(api_key="${KEY}", base_url="${base}/v1")
reply = client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Hello!"}],
)
print(reply.choices[0].message.content)`,
    anthropic: `import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({ apiKey: '${KEY}', baseURL: '${base}' });

const message = await client.messages.create({
  model: 'claude-3-5-haiku-20241022',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello!' }],
});
console.log(message.content);`,
  };
}

function Example({ title, code, id }: { title: string; code: string; id: string }) {
  return (
    <section className="card" style={{ marginBottom: 16 }}>
      <div className="row-actions" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <h2 style={{ margin: 0, fontSize: '1.05rem' }}>{title}</h2>
        <CopyButton text={code} testId={`copy-${id}`} />
      </div>
      <pre data-testid={`example-${id}`}>
        <code>{code}</code>
      </pre>
    </section>
  );
}

/**
 * Copyable examples against this site's own address: the origin the page was opened on, which
 * forwards /v1 to the API (ServerAddress names the API itself, which may not be reachable).
 */
export function QuickStart() {
  const { m } = useI18n();
  const origin = useOrigin();
  const base = origin || 'https://your-gateway.example';
  const ex = examples(base);

  return (
    <div className="container" style={{ paddingTop: 32, paddingBottom: 48 }}>
      <h1 style={{ marginBottom: 4 }}>{m.docs.title}</h1>
      <p className="muted" style={{ marginTop: 0 }}>
        {m.docs.subtitle}
      </p>
      <p>
        <Link href="/docs/api" data-testid="api-docs-link">
          {m.apiDocs.link} →
        </Link>
      </p>
      <div className="card" style={{ marginBottom: 16 }}>
        <div className="field">
          <label>{m.docs.baseUrl}</label>
          <div className="row-actions" style={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <code data-testid="docs-base-url">{base}</code>
            <CopyButton text={base} />
          </div>
        </div>
        <p style={{ marginBottom: 0 }}>
          {m.docs.steps} <Link href="/console/tokens">{m.docs.goKeys}</Link>
        </p>
        <p className="hint">{m.docs.keyNote}</p>
      </div>
      <Example id="curl" title={m.docs.curl} code={ex.curl} />
      <Example id="openai" title={m.docs.openai} code={ex.openai} />
      <Example id="openai-python" title={m.docs.openaiPy} code={ex.openaiPy} />
      <Example id="anthropic" title={m.docs.anthropic} code={ex.anthropic} />
      <Example id="models" title={m.docs.models} code={ex.models} />
    </div>
  );
}
