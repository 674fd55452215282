import type { OpenAiChatResponse, OpenAiFinishReason } from '@your-api/providers-core';
import { geminiClientFormat } from './client-format';

function completion(message: OpenAiChatResponse['choices'][number]['message'], finishReason: OpenAiFinishReason | null = 'stop'): OpenAiChatResponse {
  return {
    id: 'chatcmpl-42',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o',
    choices: [{ index: 0, message, finish_reason: finishReason }],
    usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 },
  };
}

describe('geminiClientFormat.fromOpenAiResponse', () => {
  it('writes text as a model candidate with usage, model version and response id', () => {
    expect(geminiClientFormat.fromOpenAiResponse(completion({ role: 'assistant', content: 'Hello' }), 'gemini-2.5-flash')).toEqual({
      candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 30, totalTokenCount: 42 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'chatcmpl-42',
    });
  });

  it('puts thoughts first, then text, then function calls', () => {
    const response = completion(
      {
        role: 'assistant',
        content: 'Checking.',
        reasoning_content: 'The user wants weather.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'broken', arguments: '{oops' } },
        ],
      },
      'tool_calls',
    );
    expect(geminiClientFormat.fromOpenAiResponse(response, 'm')).toMatchObject({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'The user wants weather.', thought: true },
              { text: 'Checking.' },
              { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
              { functionCall: { name: 'broken', args: {} } },
            ],
          },
          finishReason: 'STOP',
        },
      ],
    });
  });

  it.each([
    ['stop', 'STOP'],
    ['length', 'MAX_TOKENS'],
    ['content_filter', 'SAFETY'],
    ['tool_calls', 'STOP'],
    ['function_call', 'STOP'],
    [null, 'STOP'],
  ] as const)('maps finish_reason %p to %s', (finishReason, expected) => {
    const response = geminiClientFormat.fromOpenAiResponse(completion({ role: 'assistant', content: 'x' }, finishReason), 'm') as {
      candidates: { finishReason: string }[];
    };
    expect(response.candidates[0].finishReason).toBe(expected);
  });

  it('splits reasoning out of the candidate count and reports cache reads', () => {
    const response = completion({ role: 'assistant', content: 'x' });
    response.usage = {
      prompt_tokens: 100,
      completion_tokens: 60,
      total_tokens: 160,
      prompt_tokens_details: { cached_tokens: 40 },
      completion_tokens_details: { reasoning_tokens: 50 },
    };
    expect(geminiClientFormat.fromOpenAiResponse(response, 'm')).toMatchObject({
      usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 10, thoughtsTokenCount: 50, totalTokenCount: 160, cachedContentTokenCount: 40 },
    });
  });

  it('leaves usageMetadata out when the completion has no usage', () => {
    const response = completion({ role: 'assistant', content: 'x' });
    delete response.usage;
    expect(geminiClientFormat.fromOpenAiResponse(response, 'm')).not.toHaveProperty('usageMetadata');
  });
});
