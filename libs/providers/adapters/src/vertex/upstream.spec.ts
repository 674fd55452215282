import { ChannelType } from '@your-api/contracts';
import { UpstreamError, type OpenAiChatRequest, type UpstreamContext } from '@your-api/providers-core';
import { readVertexCredentials } from './credentials';
import { readVertexError, vertexUpstream } from './upstream';
import { vertexRegion } from './upstream-request';

const SERVICE_ACCOUNT = JSON.stringify({
  type: 'service_account',
  project_id: 'my-project',
  private_key_id: 'kid-1',
  private_key: '-----BEGIN PRIVATE KEY-----\\nMIIfake\\n-----END PRIVATE KEY-----\\n',
  client_email: 'relay@my-project.iam.gserviceaccount.com',
  token_uri: 'https://oauth2.example/token',
});

function context(overrides: Partial<UpstreamContext> = {}): UpstreamContext {
  return {
    channelType: ChannelType.VertexAI,
    baseUrl: '',
    apiKey: SERVICE_ACCOUNT,
    upstreamModel: 'gemini-2.5-flash',
    stream: false,
    other: 'us-central1',
    settings: {},
    ...overrides,
  };
}

const chat: OpenAiChatRequest = { model: 'client-model', messages: [{ role: 'system', content: 'Be brief' }, { role: 'user', content: 'Hi' }], max_tokens: 50 };

function build(ctx: Partial<UpstreamContext>) {
  const target = vertexUpstream.buildChatRequest(chat, context(ctx));
  return { ...target, json: JSON.parse(target.body) as Record<string, unknown> };
}

function thrown(run: () => unknown): UpstreamError {
  try {
    run();
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

describe('vertexUpstream.buildChatRequest: Gemini models', () => {
  it('posts generateContent on the regional host with the project and region in the path', () => {
    const { url, headers, json } = build({});
    expect(url).toBe(
      'https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent',
    );
    expect(headers).toEqual({ 'content-type': 'application/json', 'x-goog-user-project': 'my-project' });
    // The Gemini converter's body: system instruction apart, output limit in generationConfig.
    expect(json.systemInstruction).toEqual({ parts: [{ text: 'Be brief' }] });
    expect(json.contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }] }]);
    expect(json.generationConfig).toEqual({ maxOutputTokens: 50 });
  });

  it('streams with streamGenerateContent?alt=sse, and the global location uses the host without a region', () => {
    expect(build({ stream: true, other: 'global' }).url).toBe(
      'https://aiplatform.googleapis.com/v1/projects/my-project/locations/global/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
  });

  it("uses the channel's base URL in place of Google's host", () => {
    expect(build({ baseUrl: 'http://127.0.0.1:9000' }).url).toBe(
      'http://127.0.0.1:9000/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent',
    );
  });

  it('never puts credentials in the headers it builds: the relay adds the access token', () => {
    const { headers, url } = build({});
    expect(Object.keys(headers)).not.toContain('authorization');
    expect(url).not.toContain('key=');
  });

  it('sends an express-mode API key (not JSON) in x-goog-api-key, without a project in the path', () => {
    const { url, headers } = build({ apiKey: 'AQ.express-key', other: 'global' });
    expect(url).toBe('https://aiplatform.googleapis.com/v1/publishers/google/models/gemini-2.5-flash:generateContent');
    expect(headers['x-goog-api-key']).toBe('AQ.express-key');
  });
});

describe('vertexUpstream.buildChatRequest: Claude models', () => {
  it('posts rawPredict under the anthropic publisher, with the Vertex model id and version, without model', () => {
    const { url, headers, json } = build({ upstreamModel: 'claude-3-5-sonnet-20241022', other: 'us-east5' });
    expect(url).toBe(
      'https://us-east5-aiplatform.googleapis.com/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-3-5-sonnet-v2@20241022:rawPredict',
    );
    expect(headers).toEqual({ 'content-type': 'application/json', accept: 'application/json', 'x-goog-user-project': 'my-project' });
    expect(json).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      system: 'Be brief',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      max_tokens: 50,
    });
  });

  it('streams with streamRawPredict and stream: true in the body; passes anthropic-beta on', () => {
    const { url, headers, json } = build({
      upstreamModel: 'claude-sonnet-4@20250514',
      stream: true,
      clientHeaders: { 'anthropic-beta': 'context-1m-2025-08-07' },
    });
    expect(url).toMatch(/\/publishers\/anthropic\/models\/claude-sonnet-4@20250514:streamRawPredict$/);
    expect(json.stream).toBe(true);
    expect(headers.accept).toBe('text/event-stream');
    expect(headers['anthropic-beta']).toBe('context-1m-2025-08-07');
  });

  it('refuses an express-mode API key, which cannot reach Claude', () => {
    expect(thrown(() => build({ apiKey: 'AQ.express-key', upstreamModel: 'claude-opus-4-1-20250805' })).code).toBe('channel/invalid-key');
  });
});

describe('vertexRegion', () => {
  it("reads the channel's other as a region, or as a per-model map with a default", () => {
    expect(vertexRegion(' europe-west4 ', 'gemini-2.5-pro')).toBe('europe-west4');
    const map = JSON.stringify({ 'claude-3-5-sonnet-20241022': 'us-east5', default: 'europe-west1' });
    expect(vertexRegion(map, 'claude-3-5-sonnet-20241022')).toBe('us-east5');
    expect(vertexRegion(map, 'gemini-2.5-pro')).toBe('europe-west1');
    expect(vertexRegion('{"x":"us-east5"}', 'gemini-2.5-pro')).toBe('global');
  });

  it("falls back to a region in the key, then global", () => {
    expect(vertexRegion('', 'gemini-2.5-pro', 'asia-northeast1')).toBe('asia-northeast1');
    expect(vertexRegion('', 'gemini-2.5-pro')).toBe('global');
  });

  it('refuses a region that could change the host name', () => {
    expect(thrown(() => vertexRegion('evil.example/x', 'm')).code).toBe('channel/invalid-region');
  });
});

describe('readVertexCredentials', () => {
  it('reads a service-account JSON, unescaping a doubly escaped private key and defaulting token_uri', () => {
    const credentials = readVertexCredentials(JSON.stringify({ project_id: 'p', client_email: 'e@p', private_key: 'A\\nB' }));
    expect(credentials).toEqual({
      kind: 'service-account',
      account: { projectId: 'p', clientEmail: 'e@p', privateKey: 'A\nB', privateKeyId: '', tokenUri: 'https://oauth2.googleapis.com/token', region: '' },
    });
  });

  it('names missing fields without quoting the key', () => {
    const error = thrown(() => readVertexCredentials(JSON.stringify({ project_id: 'p', private_key: 'SECRET-PEM' })));
    expect(error.code).toBe('channel/invalid-key');
    expect(error.message).toContain('client_email');
    expect(error.message).not.toContain('SECRET');
    expect(thrown(() => readVertexCredentials('{not json SECRET')).message).not.toContain('SECRET');
  });
});

describe('vertexUpstream responses and streams', () => {
  it('reads a Claude Message for Claude models and a Gemini response for the others', () => {
    const claude = vertexUpstream.convertChatResponse(
      { id: 'msg_1', type: 'message', content: [{ type: 'text', text: 'from claude' }], stop_reason: 'end_turn', usage: { input_tokens: 7, output_tokens: 2 } },
      context({ upstreamModel: 'claude-3-5-haiku-20241022' }),
    );
    expect(claude.choices[0].message.content).toBe('from claude');
    expect(claude.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 2 });
    const gemini = vertexUpstream.convertChatResponse(
      { candidates: [{ content: { role: 'model', parts: [{ text: 'from gemini' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 3, totalTokenCount: 7 } },
      context(),
    );
    expect(gemini.choices[0].message.content).toBe('from gemini');
    expect(gemini.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3 });
  });

  it('converts the stream of either publisher', () => {
    const claude = vertexUpstream.createChatStreamConverter(context({ upstreamModel: 'claude-3-5-haiku-20241022', stream: true }));
    claude.onEvent({ event: 'message_start', data: JSON.stringify({ type: 'message_start', message: { id: 'm', usage: { input_tokens: 1 } } }) });
    const [claudeChunk] = claude.onEvent({
      event: 'content_block_delta',
      data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hey' } }),
    });
    expect(JSON.parse(claudeChunk).choices[0].delta).toEqual({ content: 'hey' });
    const gemini = vertexUpstream.createChatStreamConverter(context({ stream: true }));
    const geminiChunks = gemini.onEvent({ data: JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'yo' }] } }] }) });
    expect(geminiChunks.map((chunk) => JSON.parse(chunk).choices[0].delta.content).join('')).toBe('yo');
  });

  it("reads Google's and Anthropic's error shapes", () => {
    expect(readVertexError({ error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } })).toEqual({
      message: 'Quota exceeded',
      type: 'RESOURCE_EXHAUSTED',
      code: '429',
    });
    expect(readVertexError({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toEqual({
      message: 'Overloaded',
      type: 'overloaded_error',
      code: '',
    });
  });
});
