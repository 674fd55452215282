import { ChannelType } from '@your-api/contracts';
import type { OpenAiChatRequest, UpstreamContext } from '@your-api/providers-core';
import { chatAdapterOf, upstreamProtocolOf } from '../protocols';
import { cozeUpstream } from './upstream';
import { cozeChatUrl } from './upstream-request';

const ctx = (overrides: Partial<UpstreamContext> = {}): UpstreamContext => ({
  channelType: ChannelType.Coze,
  baseUrl: 'https://api.coze.cn',
  apiKey: 'pat_key',
  upstreamModel: 'coze-bot',
  stream: true,
  other: '7379462189365198898',
  settings: {},
  ...overrides,
});

const bodyOf = (request: Partial<OpenAiChatRequest>, context = ctx()) =>
  JSON.parse(cozeUpstream.buildChatRequest({ model: 'coze-bot', messages: [], ...request }, context).body) as Record<string, unknown>;

describe('cozeUpstream.buildChatRequest', () => {
  it("posts to /v3/chat with a bearer key, the channel's bot id and a stream", () => {
    const target = cozeUpstream.buildChatRequest({ model: 'coze-bot', messages: [{ role: 'user', content: 'Hello' }] }, ctx());
    expect(target.url).toBe('https://api.coze.cn/v3/chat');
    expect(target.headers).toEqual({ authorization: 'Bearer pat_key', 'content-type': 'application/json', accept: 'text/event-stream' });
    expect(JSON.parse(target.body)).toEqual({
      bot_id: '7379462189365198898',
      user_id: 'your-api',
      stream: true,
      additional_messages: [{ role: 'user', type: 'question', content: 'Hello', content_type: 'text' }],
    });
  });

  it('streams upstream even for a non-stream client (Coze would need polling otherwise)', () => {
    const target = cozeUpstream.buildChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, ctx({ stream: false }));
    expect(JSON.parse(target.body)).toMatchObject({ stream: true });
    expect(target.headers.accept).toBe('text/event-stream');
  });

  it('falls back to the upstream model name as bot id when the channel has none', () => {
    expect(bodyOf({ messages: [] }, ctx({ other: '  ', upstreamModel: '7400000000000000001' })).bot_id).toBe('7400000000000000001');
  });

  it('tolerates a trailing slash, a /v3 base and an empty base', () => {
    expect(cozeChatUrl('https://api.coze.com/')).toBe('https://api.coze.com/v3/chat');
    expect(cozeChatUrl('https://api.coze.com/v3')).toBe('https://api.coze.com/v3/chat');
    expect(cozeChatUrl('')).toBe('https://api.coze.cn/v3/chat');
  });

  it("uses the request's user, keeps user and assistant turns, and drops system and tool messages", () => {
    const body = bodyOf({
      user: 'alice',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'tool', tool_call_id: 'c1', content: '{}' },
        { role: 'assistant', content: '' },
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      ],
    });
    expect(body.user_id).toBe('alice');
    expect(body.additional_messages).toEqual([
      { role: 'user', type: 'question', content: 'Hi', content_type: 'text' },
      { role: 'assistant', type: 'answer', content: 'Hello!', content_type: 'text' },
      { role: 'user', type: 'question', content: 'Weather?', content_type: 'text' },
    ]);
  });

  it('sends a message with image URLs as object_string, leaving data URLs out', () => {
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
    const [message] = body.additional_messages as { content: string; content_type: string }[];
    expect(message.content_type).toBe('object_string');
    expect(JSON.parse(message.content)).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', file_url: 'https://img.example/cat.png' },
    ]);
  });

  it('runs a chatflow when the target is workflow:<id>, with workflow_parameters as its inputs', () => {
    const target = cozeUpstream.buildChatRequest(
      { model: 'coze-bot', messages: [{ role: 'user', content: 'Plan a trip' }], workflow_parameters: { city: 'Paris' } },
      ctx({ other: 'workflow:7480001', baseUrl: 'https://api.coze.com/v3/' }),
    );
    expect(target.url).toBe('https://api.coze.com/v1/workflows/chat');
    expect(JSON.parse(target.body)).toEqual({
      workflow_id: '7480001',
      parameters: { city: 'Paris' },
      stream: true,
      additional_messages: [{ role: 'user', type: 'question', content: 'Plan a trip', content_type: 'text' }],
    });
    expect(JSON.parse(cozeUpstream.buildChatRequest({ model: 'workflow:42', messages: [] }, ctx({ other: '', upstreamModel: 'workflow:42' })).body)).toMatchObject({
      workflow_id: '42',
      parameters: {},
    });
  });

  it('is the adapter the registry picks for Coze channels', () => {
    expect(upstreamProtocolOf(ChannelType.Coze)).toBe('coze');
    expect(chatAdapterOf('coze')).toBe(cozeUpstream);
  });
});
