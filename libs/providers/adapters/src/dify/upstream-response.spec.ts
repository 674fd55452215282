import { ChannelType } from '@your-api/contracts';
import type { UpstreamContext } from '@your-api/providers-core';
import { difyUpstream } from './upstream';

const ctx: UpstreamContext = {
  channelType: ChannelType.Dify,
  baseUrl: 'https://api.dify.ai',
  apiKey: 'app-key',
  upstreamModel: 'dify-chatflow',
  stream: false,
  other: '',
  settings: {},
};

const blocking = {
  event: 'message',
  task_id: 'task-1',
  id: 'msg-1',
  message_id: 'msg-1',
  conversation_id: 'conv-1',
  mode: 'chat',
  answer: 'iPhone 13 Pro Max specs are listed on the site.',
  metadata: { usage: { prompt_tokens: 1033, prompt_unit_price: '0.001', completion_tokens: 128, total_tokens: 1161, total_price: '0.0012890', currency: 'USD' }, retriever_resources: [] },
  created_at: 1705407629,
};

describe('difyUpstream.convertChatResponse', () => {
  it('turns a blocking reply into a completion with its answer and usage', () => {
    expect(difyUpstream.convertChatResponse(blocking, ctx)).toEqual({
      id: 'msg-1',
      object: 'chat.completion',
      created: 1705407629,
      model: 'dify-chatflow',
      choices: [{ index: 0, message: { role: 'assistant', content: 'iPhone 13 Pro Max specs are listed on the site.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1033, completion_tokens: 128, total_tokens: 1161 },
    });
  });

  it('leaves usage out when Dify counted nothing, so the relay counts locally', () => {
    const completion = difyUpstream.convertChatResponse({ ...blocking, metadata: { usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } } }, ctx);
    expect(completion.usage).toBeUndefined();
    expect(difyUpstream.convertChatResponse({ answer: 'x' }, ctx).usage).toBeUndefined();
  });

  it("marks a reasoning model's thinking block as <think>…</think>", () => {
    const answer = '<details style="color:gray;background-color: #f8f8f8;padding: 8px;border-radius: 4px;" open> <summary> Thinking... </summary>\nHmm.</details>4';
    expect(difyUpstream.convertChatResponse({ answer }, ctx).choices[0].message.content).toBe('<think>Hmm.</think>4');
  });
});

describe('difyUpstream.readError', () => {
  it("reads Dify's {code, message, status} body", () => {
    expect(difyUpstream.readError({ code: 'invalid_param', message: 'query is required', status: 400 })).toEqual({
      message: 'query is required',
      type: '',
      code: 'invalid_param',
    });
    expect(difyUpstream.readError('not json')).toEqual({ message: '', type: '', code: '' });
  });
});
