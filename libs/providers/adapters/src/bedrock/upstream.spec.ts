import { ChannelType } from '@your-api/contracts';
import { UpstreamError, type OpenAiChatRequest, type UpstreamContext } from '@your-api/providers-core';
import { readBedrockCredentials } from './credentials';
import { bedrockModelId } from './model-ids';
import { bedrockUpstream, readBedrockError } from './upstream';

function context(overrides: Partial<UpstreamContext> = {}): UpstreamContext {
  return {
    channelType: ChannelType.Aws,
    baseUrl: '',
    apiKey: 'AKIAEXAMPLE|secret-key|us-east-1',
    upstreamModel: 'claude-3-5-sonnet-20241022',
    stream: false,
    other: '',
    settings: {},
    ...overrides,
  };
}

const chat: OpenAiChatRequest = {
  model: 'client-model',
  messages: [{ role: 'system', content: 'Be brief' }, { role: 'user', content: 'Hi' }],
  max_tokens: 64,
  user: 'end-user-7',
};

function build(ctx: Partial<UpstreamContext> = {}) {
  const target = bedrockUpstream.buildChatRequest(chat, context(ctx));
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

describe('bedrockModelId', () => {
  it("maps Anthropic names to Bedrock ids, with the cross-region profile prefix of the region's geography", () => {
    expect(bedrockModelId('claude-3-5-sonnet-20241022', 'us-east-1')).toBe('us.anthropic.claude-3-5-sonnet-20241022-v2:0');
    expect(bedrockModelId('claude-3-5-sonnet-20241022', 'ap-northeast-1')).toBe('apac.anthropic.claude-3-5-sonnet-20241022-v2:0');
    // No EU profile for this model: the in-region id.
    expect(bedrockModelId('claude-3-5-sonnet-20241022', 'eu-west-1')).toBe('anthropic.claude-3-5-sonnet-20241022-v2:0');
    expect(bedrockModelId('claude-sonnet-4-5-20250929', 'eu-central-1')).toBe('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(bedrockModelId('claude-3-haiku-20240307', 'ca-central-1')).toBe('anthropic.claude-3-haiku-20240307-v1:0');
  });

  it('passes ids already in Bedrock form, profiles and unknown names through as written', () => {
    expect(bedrockModelId('anthropic.claude-3-5-sonnet-20241022-v2:0', 'us-east-1')).toBe('anthropic.claude-3-5-sonnet-20241022-v2:0');
    expect(bedrockModelId('us.anthropic.claude-opus-4-1-20250805-v1:0', 'us-west-2')).toBe('us.anthropic.claude-opus-4-1-20250805-v1:0');
    expect(bedrockModelId('claude-next', 'us-east-1')).toBe('claude-next');
  });
});

describe('bedrockUpstream.buildChatRequest', () => {
  it('posts InvokeModel on the regional runtime host with the model id URL-encoded', () => {
    expect(build().url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/invoke');
  });

  it("streams with invoke-with-response-stream, asking for the event stream; the channel's base URL replaces the host", () => {
    const { url, headers } = build({ stream: true, baseUrl: 'http://127.0.0.1:9000' });
    expect(url).toBe('http://127.0.0.1:9000/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/invoke-with-response-stream');
    expect(headers).toEqual({
      'content-type': 'application/json',
      accept: 'application/vnd.amazon.eventstream',
      'x-amzn-bedrock-accept': 'application/json',
    });
  });

  it("sends Anthropic's body with Bedrock's version, without model, stream and metadata", () => {
    const { json } = build({ stream: true });
    expect(json).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      system: 'Be brief',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      max_tokens: 64,
    });
  });

  it('turns the anthropic-beta header into the anthropic_beta list', () => {
    expect(build({ clientHeaders: { 'anthropic-beta': 'a-2025, b-2025' } }).json.anthropic_beta).toEqual(['a-2025', 'b-2025']);
  });

  it('leaves an access-key request unsigned (the relay signs it) and sends an API key as a bearer token', () => {
    expect(build().headers).toEqual({ 'content-type': 'application/json', accept: 'application/json' });
    const apiKey = build({ apiKey: 'ABSK-bedrock-key|us-west-2' });
    expect(apiKey.headers.authorization).toBe('Bearer ABSK-bedrock-key');
    expect(apiKey.url).toContain('https://bedrock-runtime.us-west-2.amazonaws.com/');
  });
});

describe('readBedrockCredentials', () => {
  it('reads AK|SK|region and apiKey|region', () => {
    expect(readBedrockCredentials(' AK | SK | eu-west-3 ')).toEqual({ kind: 'access-key', accessKeyId: 'AK', secretAccessKey: 'SK', region: 'eu-west-3' });
    expect(readBedrockCredentials('key|us-east-2')).toEqual({ kind: 'api-key', apiKey: 'key', region: 'us-east-2' });
  });

  it('refuses other shapes and bad regions without quoting the key', () => {
    for (const key of ['AKONLY-SECRET', 'AK|SECRET|', 'AK|SECRET|evil.example/x', 'a|b|c|d-1']) {
      const error = thrown(() => readBedrockCredentials(key));
      expect(error.code).toBe('channel/invalid-key');
      expect(error.message).not.toContain('SECRET');
    }
  });
});

describe('bedrockUpstream responses and errors', () => {
  it('reads the Claude Message Bedrock returns', () => {
    const response = bedrockUpstream.convertChatResponse(
      {
        id: 'msg_bdrk_1',
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: 'hello' }],
        stop_reason: 'max_tokens',
        usage: { input_tokens: 10, output_tokens: 64, cache_read_input_tokens: 5 },
      },
      context(),
    );
    expect(response.choices[0]).toMatchObject({ message: { content: 'hello' }, finish_reason: 'length' });
    expect(response.usage).toMatchObject({ prompt_tokens: 15, completion_tokens: 64, prompt_tokens_details: { cached_tokens: 5 } });
  });

  it("reads Bedrock's {message} errors and Anthropic-shaped ones", () => {
    expect(readBedrockError({ message: 'The security token included in the request is invalid.' })).toEqual({
      message: 'The security token included in the request is invalid.',
      type: '',
      code: '',
    });
    expect(readBedrockError({ Message: 'Too many tokens' }).message).toBe('Too many tokens');
    expect(readBedrockError({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }).type).toBe('overloaded_error');
  });
});
