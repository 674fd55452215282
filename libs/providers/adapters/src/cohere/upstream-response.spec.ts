import { ChannelType } from '@your-api/contracts';
import { UpstreamError, type UpstreamContext } from '@your-api/providers-core';
import { cohereUpstream } from './upstream';

const ctx: UpstreamContext = {
  channelType: ChannelType.Cohere,
  baseUrl: 'https://api.cohere.ai',
  apiKey: 'co-key',
  upstreamModel: 'command-r-plus',
  stream: false,
  other: '',
  settings: {},
};

const usage = { billed_units: { input_tokens: 9, output_tokens: 4 }, tokens: { input_tokens: 75, output_tokens: 4 } };

describe('cohereUpstream.convertChatResponse', () => {
  it('joins text parts into content and bills Cohere billed_units', () => {
    const completion = cohereUpstream.convertChatResponse(
      {
        id: 'resp-1',
        finish_reason: 'COMPLETE',
        message: { role: 'assistant', content: [{ type: 'text', text: 'Hello, ' }, { type: 'text', text: 'world' }] },
        usage,
      },
      ctx,
    );
    expect(completion).toMatchObject({
      id: 'resp-1',
      object: 'chat.completion',
      model: 'command-r-plus',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello, world' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
    });
    expect(completion.choices[0].message).not.toHaveProperty('reasoning_content');
    expect(typeof completion.created).toBe('number');
  });

  it('falls back to usage.tokens when no billed units came, and omits usage when there is none', () => {
    const withTokens = cohereUpstream.convertChatResponse(
      { id: 'r', finish_reason: 'COMPLETE', message: { content: [{ type: 'text', text: 'x' }] }, usage: { tokens: { input_tokens: 70, output_tokens: 2 } } },
      ctx,
    );
    expect(withTokens.usage).toEqual({ prompt_tokens: 70, completion_tokens: 2, total_tokens: 72 });
    const without = cohereUpstream.convertChatResponse({ id: 'r', finish_reason: 'COMPLETE', message: { content: [{ type: 'text', text: 'x' }] } }, ctx);
    expect(without.usage).toBeUndefined();
  });

  it('returns tool calls with the tool plan as reasoning_content and a tool_calls finish', () => {
    const completion = cohereUpstream.convertChatResponse(
      {
        id: 'resp-2',
        finish_reason: 'TOOL_CALL',
        message: {
          role: 'assistant',
          tool_plan: 'I will look up the weather.',
          tool_calls: [
            { id: 'get_weather_a1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'get_time_b2', type: 'function', function: { name: 'get_time', arguments: { zone: 'CET' } } },
          ],
        },
        usage,
      },
      ctx,
    );
    expect(completion.choices[0]).toEqual({
      index: 0,
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: null,
        reasoning_content: 'I will look up the weather.',
        tool_calls: [
          { id: 'get_weather_a1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'get_time_b2', type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } },
        ],
      },
    });
  });

  it('puts thinking parts in reasoning_content', () => {
    const completion = cohereUpstream.convertChatResponse(
      {
        id: 'r',
        finish_reason: 'COMPLETE',
        message: { content: [{ type: 'thinking', thinking: 'Let me count.' }, { type: 'text', text: '3' }] },
      },
      ctx,
    );
    expect(completion.choices[0].message).toEqual({ role: 'assistant', content: '3', reasoning_content: 'Let me count.' });
  });

  it.each([
    ['COMPLETE', 'stop'],
    ['STOP_SEQUENCE', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['TOOL_CALL', 'tool_calls'],
    ['SOMETHING_NEW', 'stop'],
  ])('maps finish_reason %s to %s', (reason, expected) => {
    const completion = cohereUpstream.convertChatResponse({ id: 'r', finish_reason: reason, message: { content: [{ type: 'text', text: 'x' }] } }, ctx);
    expect(completion.choices[0].finish_reason).toBe(expected);
  });

  it.each(['ERROR', 'TIMEOUT'])('treats finish_reason %s as a failed generation (retryable 502)', (reason) => {
    let thrown: unknown;
    try {
      cohereUpstream.convertChatResponse({ id: 'r', finish_reason: reason, message: { content: [{ type: 'text', text: 'partial' }] } }, ctx);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UpstreamError);
    expect(thrown).toMatchObject({ status: 502, retryable: true, message: `Cohere ended the generation with ${reason}` });
  });
});

describe('cohereUpstream.readError', () => {
  it("reads Cohere's {id, message} body", () => {
    expect(cohereUpstream.readError({ id: 'e1', message: 'invalid api token' })).toEqual({ message: 'invalid api token', type: '', code: '' });
  });

  it('reads an OpenAI-shaped body from a proxy, and gives empty fields for anything else', () => {
    expect(cohereUpstream.readError({ error: { message: 'quota', type: 'insufficient_quota', code: 429 } })).toEqual({
      message: 'quota',
      type: 'insufficient_quota',
      code: '429',
    });
    expect(cohereUpstream.readError(null)).toEqual({ message: '', type: '', code: '' });
    expect(cohereUpstream.readError({ error: 'plain text' }).message).toBe('plain text');
  });
});
