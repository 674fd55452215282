import { ChannelType } from '@your-api/contracts';
import type { UpstreamContext } from '@your-api/providers-core';
import { geminiUpstream } from './upstream';

const ctx: UpstreamContext = {
  channelType: ChannelType.Gemini,
  baseUrl: 'https://generativelanguage.googleapis.com',
  apiKey: 'test-key',
  upstreamModel: 'gemini-2.5-flash',
  stream: false,
  other: '',
  settings: {},
};

const candidate = (parts: unknown[], finishReason = 'STOP', index = 0) => ({ content: { role: 'model', parts }, finishReason, index });

describe('geminiUpstream.convertChatResponse', () => {
  it('joins text parts into one assistant message', () => {
    const response = geminiUpstream.convertChatResponse(
      {
        candidates: [candidate([{ text: 'Hello, ' }, { text: 'world' }])],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
        modelVersion: 'gemini-2.5-flash-001',
        responseId: 'abc123',
      },
      ctx,
    );
    expect(response).toMatchObject({
      id: 'chatcmpl-abc123',
      object: 'chat.completion',
      model: 'gemini-2.5-flash',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello, world' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    });
    expect(response.created).toBeGreaterThan(1_700_000_000);
    expect(response.choices[0].message).not.toHaveProperty('reasoning_content');
  });

  it('puts thought parts into reasoning_content', () => {
    const response = geminiUpstream.convertChatResponse(
      { candidates: [candidate([{ text: 'Primes are…', thought: true }, { text: '2, 3, 5' }])] },
      ctx,
    );
    expect(response.choices[0].message).toEqual({ role: 'assistant', content: '2, 3, 5', reasoning_content: 'Primes are…' });
  });

  it('turns function calls into tool_calls with finish_reason tool_calls', () => {
    const response = geminiUpstream.convertChatResponse(
      {
        candidates: [
          candidate([
            { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2ln' },
            { functionCall: { name: 'now' } },
          ]),
        ],
      },
      ctx,
    );
    const [choice] = response.choices;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      { id: expect.stringMatching(/^call_[0-9a-f]{32}$/), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: expect.stringMatching(/^call_[0-9a-f]{32}$/), type: 'function', function: { name: 'now', arguments: '{}' } },
    ]);
    expect(choice.message.tool_calls?.[0].id).not.toBe(choice.message.tool_calls?.[1].id);
  });

  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'content_filter'],
    ['OTHER', 'content_filter'],
    [undefined, 'stop'],
  ])('maps finishReason %s to %s', (finishReason, expected) => {
    const response = geminiUpstream.convertChatResponse({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason }] }, ctx);
    expect(response.choices[0].finish_reason).toBe(expected);
  });

  it('keeps length when a call was cut off by the token limit', () => {
    const response = geminiUpstream.convertChatResponse({ candidates: [candidate([{ functionCall: { name: 'f', args: {} } }], 'MAX_TOKENS')] }, ctx);
    expect(response.choices[0].finish_reason).toBe('length');
  });

  it('makes one choice per candidate', () => {
    const response = geminiUpstream.convertChatResponse({ candidates: [candidate([{ text: 'A' }], 'STOP', 0), candidate([{ text: 'B' }], 'MAX_TOKENS', 1)] }, ctx);
    expect(response.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, 'A', 'stop'],
      [1, 'B', 'length'],
    ]);
  });

  it('answers a blocked prompt with an empty content_filter choice', () => {
    const response = geminiUpstream.convertChatResponse(
      { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } },
      ctx,
    );
    expect(response.choices).toEqual([{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'content_filter' }]);
    expect(response.usage).toEqual({ prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 });
  });

  it('counts thoughts as completion and reasoning tokens, cache reads and tool prompts as prompt tokens', () => {
    const response = geminiUpstream.convertChatResponse(
      {
        candidates: [candidate([{ text: 'ok' }])],
        usageMetadata: {
          promptTokenCount: 100,
          toolUsePromptTokenCount: 20,
          candidatesTokenCount: 10,
          thoughtsTokenCount: 50,
          cachedContentTokenCount: 60,
          totalTokenCount: 180,
        },
      },
      ctx,
    );
    expect(response.usage).toEqual({
      prompt_tokens: 120,
      completion_tokens: 60,
      total_tokens: 180,
      prompt_tokens_details: { cached_tokens: 60 },
      completion_tokens_details: { reasoning_tokens: 50 },
    });
  });

  it('leaves usage out when Gemini sent none, and makes up an id', () => {
    const response = geminiUpstream.convertChatResponse({ candidates: [candidate([{ text: 'ok' }])] }, ctx);
    expect(response).not.toHaveProperty('usage');
    expect(response.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
  });

  it('survives a body that is not a response', () => {
    expect(geminiUpstream.convertChatResponse(null, ctx).choices).toEqual([]);
    expect(geminiUpstream.convertChatResponse({ candidates: 'nope' }, ctx).choices).toEqual([]);
  });
});
