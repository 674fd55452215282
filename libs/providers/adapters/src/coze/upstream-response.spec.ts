import { ChannelType } from '@your-api/contracts';
import { UpstreamError, type UpstreamContext } from '@your-api/providers-core';
import { cozeUpstream } from './upstream';

const ctx: UpstreamContext = {
  channelType: ChannelType.Coze,
  baseUrl: 'https://api.coze.cn',
  apiKey: 'pat_key',
  upstreamModel: 'coze-bot',
  stream: false,
  other: 'bot-1',
  settings: {},
};

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('cozeUpstream.convertChatResponse', () => {
  it('throws Coze\'s {code, msg} failure (sent with HTTP 200) as a retryable upstream error', () => {
    const error = thrownBy(() => cozeUpstream.convertChatResponse({ code: 4100, msg: 'authentication is invalid' }, ctx));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 502, retryable: true, message: 'Coze error 4100: authentication is invalid', upstreamCode: '4100' });
  });

  it('refuses a non-stream chat object, which has no reply in it', () => {
    const error = thrownBy(() =>
      cozeUpstream.convertChatResponse({ code: 0, msg: '', data: { id: 'chat-1', conversation_id: 'conv-1', status: 'in_progress' } }, ctx),
    );
    expect(error).toMatchObject({ status: 502, code: 'upstream/coze-not-streamed' });
  });

  it("reads a message list's answer messages (what a polling relay would fetch), without usage", () => {
    const completion = cozeUpstream.convertChatResponse(
      {
        code: 0,
        msg: '',
        data: [
          { id: 'm0', role: 'assistant', type: 'function_call', content: '{"name":"x"}', chat_id: 'chat-7', created_at: 1718792950 },
          { id: 'm1', role: 'assistant', type: 'answer', content: 'It is 18°C.', reasoning_content: 'Checked.', chat_id: 'chat-7', created_at: 1718792951 },
          { id: 'm2', role: 'assistant', type: 'follow_up', content: 'Anything else?', chat_id: 'chat-7' },
        ],
      },
      ctx,
    );
    expect(completion).toEqual({
      id: 'chat-7',
      object: 'chat.completion',
      created: 1718792951,
      model: 'coze-bot',
      choices: [{ index: 0, message: { role: 'assistant', content: 'It is 18°C.', reasoning_content: 'Checked.' }, finish_reason: 'stop' }],
    });
  });
});

describe('cozeUpstream.readError', () => {
  it("reads Coze's {code, msg} body and OpenAI-shaped ones", () => {
    expect(cozeUpstream.readError({ code: 4101, msg: 'The token you entered is incorrect.' })).toEqual({
      message: 'The token you entered is incorrect.',
      type: '',
      code: '4101',
    });
    expect(cozeUpstream.readError({ error: { message: 'm', type: 't', code: 'c' } })).toEqual({ message: 'm', type: 't', code: 'c' });
    expect(cozeUpstream.readError(undefined)).toEqual({ message: '', type: '', code: '' });
  });
});
