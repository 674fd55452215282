import { ChannelType } from '@your-api/contracts';
import type { OpenAiChatRequest, UpstreamContext } from '@your-api/providers-core';
import { chatAdapterOf, upstreamProtocolOf } from '../protocols';
import { difyUpstream } from './upstream';
import { difyChatUrl } from './upstream-request';

const ctx = (overrides: Partial<UpstreamContext> = {}): UpstreamContext => ({
  channelType: ChannelType.Dify,
  baseUrl: 'https://api.dify.ai',
  apiKey: 'app-key',
  upstreamModel: 'dify-chatflow',
  stream: false,
  other: '',
  settings: {},
  ...overrides,
});

const bodyOf = (request: Partial<OpenAiChatRequest>, context = ctx()) =>
  JSON.parse(difyUpstream.buildChatRequest({ model: 'dify-chatflow', messages: [], ...request }, context).body) as Record<string, unknown>;

describe('difyUpstream.buildChatRequest', () => {
  it('posts a blocking chat-message with a bearer key for a non-stream request', () => {
    const target = difyUpstream.buildChatRequest({ model: 'm', messages: [{ role: 'user', content: 'Hello' }] }, ctx());
    expect(target.url).toBe('https://api.dify.ai/v1/chat-messages');
    expect(target.headers).toEqual({ authorization: 'Bearer app-key', 'content-type': 'application/json', accept: 'application/json' });
    expect(JSON.parse(target.body)).toEqual({ inputs: {}, query: 'Hello', response_mode: 'blocking', user: 'your-api', auto_generate_name: false });
  });

  it('asks for streaming when the client streams', () => {
    const target = difyUpstream.buildChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, ctx({ stream: true }));
    expect(target.headers.accept).toBe('text/event-stream');
    expect(JSON.parse(target.body)).toMatchObject({ response_mode: 'streaming' });
  });

  it('tolerates a trailing slash, a /v1 base and an empty base', () => {
    expect(difyChatUrl('http://dify.internal/')).toBe('http://dify.internal/v1/chat-messages');
    expect(difyChatUrl('http://dify.internal/v1')).toBe('http://dify.internal/v1/chat-messages');
    expect(difyChatUrl('')).toBe('https://api.dify.ai/v1/chat-messages');
  });

  it("uses the request's user as Dify's end user", () => {
    expect(bodyOf({ messages: [{ role: 'user', content: 'x' }], user: 'alice' }).user).toBe('alice');
    expect(bodyOf({ messages: [{ role: 'user', content: 'x' }], user: '' }).user).toBe('your-api');
  });

  it('folds a conversation into the query as a labelled transcript (New API)', () => {
    const body = bodyOf({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      ],
    });
    expect(body.query).toBe('SYSTEM: \nBe brief.\nUSER: \nHi\nASSISTANT: \nHello!\nUSER: \nWeather?\n');
  });

  it('sends image URLs as remote_url files and leaves data URLs out', () => {
    const body = bodyOf({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://img.example/cat.png' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
      ],
    });
    expect(body.query).toBe('What is this?');
    expect(body.files).toEqual([{ type: 'image', transfer_method: 'remote_url', url: 'https://img.example/cat.png' }]);
    expect(bodyOf({ messages: [{ role: 'user', content: 'no images' }] })).not.toHaveProperty('files');
  });

  it('is the adapter the registry picks for Dify channels', () => {
    expect(upstreamProtocolOf(ChannelType.Dify)).toBe('dify');
    expect(chatAdapterOf('dify')).toBe(difyUpstream);
  });
});
