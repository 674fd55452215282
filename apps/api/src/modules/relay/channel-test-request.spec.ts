import { ChannelType } from '@your-api/contracts';
import { buildChannelTestRequest, chooseTestModel, testEndpointOf } from './channel-test-request';

describe('chooseTestModel', () => {
  const channel = { test_model: 'gpt-4o', models: 'gpt-4o-mini,gpt-4.1' };
  it('takes the query, then test_model, then the first model, then gpt-4o-mini', () => {
    expect(chooseTestModel(' o3-mini ', channel)).toBe('o3-mini');
    expect(chooseTestModel(undefined, channel)).toBe('gpt-4o');
    expect(chooseTestModel('', { test_model: '  ', models: ' ,deepseek-chat, x' })).toBe('deepseek-chat');
    expect(chooseTestModel(undefined, { test_model: null, models: null })).toBe('gpt-4o-mini');
  });
});

describe('testEndpointOf', () => {
  it('honours endpoint_type, and tests chat for an unknown one', () => {
    expect(testEndpointOf('gpt-4o', 'embeddings', ChannelType.OpenAI)).toEqual({ kind: 'openai', endpoint: 'embeddings' });
    expect(testEndpointOf('claude-3-5-haiku', 'anthropic', ChannelType.Anthropic)).toEqual({ kind: 'format', format: 'claude' });
    expect(testEndpointOf('gemini-2.5-flash', 'gemini', ChannelType.Gemini)).toEqual({ kind: 'format', format: 'gemini' });
    expect(testEndpointOf('gpt-4o', 'nonsense', ChannelType.OpenAI)).toEqual({ kind: 'openai', endpoint: 'chat' });
  });

  it('guesses embedding, rerank, image and responses-only models from the name', () => {
    expect(testEndpointOf('text-embedding-3-small', undefined, ChannelType.OpenAI)).toEqual({ kind: 'openai', endpoint: 'embeddings' });
    expect(testEndpointOf('bge-large-zh', undefined, ChannelType.OpenAI)).toEqual({ kind: 'openai', endpoint: 'embeddings' });
    expect(testEndpointOf('m3e-base', undefined, ChannelType.OpenAI)).toEqual({ kind: 'openai', endpoint: 'embeddings' });
    expect(testEndpointOf('bge-reranker-v2-m3', undefined, ChannelType.OpenAI)).toEqual({ kind: 'openai', endpoint: 'rerank' });
    expect(testEndpointOf('anything', undefined, ChannelType.MokaAI)).toEqual({ kind: 'openai', endpoint: 'embeddings' });
    expect(testEndpointOf('doubao-seedream-3-0', undefined, ChannelType.VolcEngine)).toEqual({ kind: 'openai', endpoint: 'images/generations' });
    expect(testEndpointOf('dall-e-3', undefined, ChannelType.OpenAI)).toEqual({ kind: 'openai', endpoint: 'images/generations' });
    expect(testEndpointOf('gpt-5-codex', undefined, ChannelType.OpenAI)).toEqual({ kind: 'openai', endpoint: 'responses' });
    expect(testEndpointOf('gpt-4o-mini', undefined, ChannelType.OpenAI)).toEqual({ kind: 'openai', endpoint: 'chat' });
  });
});

describe('buildChannelTestRequest', () => {
  const chat = { kind: 'openai', endpoint: 'chat' } as const;

  it('asks a chat model for 16 tokens, and usage when streaming', () => {
    expect(buildChannelTestRequest('gpt-4o-mini', chat, false, 'hi').body).toEqual({
      model: 'gpt-4o-mini',
      stream: false,
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 16,
    });
    expect(buildChannelTestRequest('gpt-4o-mini', chat, true, 'hi').body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('gives reasoning models room to think (max_completion_tokens 3000), thinking models 50, Gemini 3000', () => {
    for (const model of ['o1-mini', 'o3', 'o4-mini', 'gpt-5-nano']) {
      const body = buildChannelTestRequest(model, chat, false, 'hi').body;
      expect(body.max_completion_tokens).toBe(3000);
      expect(body.max_tokens).toBeUndefined();
    }
    expect(buildChannelTestRequest('qwen3-thinking', chat, false, 'hi').body.max_tokens).toBe(50);
    expect(buildChannelTestRequest('gemini-2.5-flash', chat, false, 'hi').body.max_tokens).toBe(3000);
  });

  it('builds embedding, rerank and image bodies, never streamed', () => {
    const embedding = buildChannelTestRequest('text-embedding-3-small', { kind: 'openai', endpoint: 'embeddings' }, true, 'hi');
    expect(embedding).toMatchObject({ stream: false, body: { model: 'text-embedding-3-small', input: ['hello world'] } });
    const rerank = buildChannelTestRequest('jina-reranker-v2', { kind: 'openai', endpoint: 'rerank' }, false, 'hi');
    expect(rerank.body).toMatchObject({ query: 'What is Deep Learning?', top_n: 2 });
    expect((rerank.body.documents as string[]).length).toBe(2);
    expect(buildChannelTestRequest('dall-e-3', { kind: 'openai', endpoint: 'images/generations' }, false, 'hi').body).toEqual({
      model: 'dall-e-3',
      prompt: 'a cute cat',
      n: 1,
      size: '1024x1024',
    });
  });

  it('builds Claude and Gemini native bodies', () => {
    expect(buildChannelTestRequest('claude-3-5-haiku', { kind: 'format', format: 'claude' }, true, 'hi').body).toEqual({
      model: 'claude-3-5-haiku',
      stream: true,
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(buildChannelTestRequest('gemini-2.5-flash', { kind: 'format', format: 'gemini' }, false, 'hi').body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      generationConfig: { maxOutputTokens: 3000 },
    });
  });
});
