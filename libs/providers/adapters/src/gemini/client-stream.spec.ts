import { ZERO_USAGE, type OpenAiChatChunk, type SseFrame, type Usage } from '@your-api/providers-core';
import { geminiClientFormat } from './client-format';
import type { GeminiGenerateContentResponse } from './wire-types';

type Choice = OpenAiChatChunk['choices'][number];

function chunk(choices: Choice[], usage?: OpenAiChatChunk['usage']): OpenAiChatChunk {
  return { id: 'chatcmpl-7', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o', choices, ...(usage ? { usage } : {}) };
}
const delta = (d: Choice['delta'], finishReason: Choice['finish_reason'] = null, index = 0): Choice => ({ index, delta: d, finish_reason: finishReason });

const usage = (overrides: Partial<Usage>): Usage => ({ ...ZERO_USAGE, ...overrides });

/** Parses frames, checking each is a data-only frame. */
function parse(frames: SseFrame[]): GeminiGenerateContentResponse[] {
  for (const frame of frames) expect(frame.event).toBeUndefined();
  return frames.map((frame) => JSON.parse(frame.data) as GeminiGenerateContentResponse);
}

describe('geminiClientFormat.createStreamWriter', () => {
  it('writes text and thoughts as they come, then a final frame with finish reason and usage', () => {
    const writer = geminiClientFormat.createStreamWriter('gemini-2.5-flash', 9);
    const frames = [
      ...writer.onChunk(chunk([delta({ role: 'assistant', content: '' })])),
      ...writer.onChunk(chunk([delta({ reasoning_content: 'Hmm.' })])),
      ...writer.onChunk(chunk([delta({ content: 'Hel' })])),
      ...writer.onChunk(chunk([delta({ content: 'lo' })])),
      ...writer.onChunk(chunk([delta({}, 'stop')])),
      ...writer.onChunk(chunk([], { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 })),
      ...writer.end(usage({ promptTokens: 9, completionTokens: 5, totalTokens: 14, reasoningTokens: 2 })),
    ];
    expect(parse(frames)).toEqual([
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Hmm.', thought: true }] }, index: 0 }], modelVersion: 'gemini-2.5-flash', responseId: 'chatcmpl-7' },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] }, index: 0 }], modelVersion: 'gemini-2.5-flash', responseId: 'chatcmpl-7' },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'lo' }] }, index: 0 }], modelVersion: 'gemini-2.5-flash', responseId: 'chatcmpl-7' },
      {
        candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 3, thoughtsTokenCount: 2, totalTokenCount: 14 },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'chatcmpl-7',
      },
    ]);
  });

  it('gathers tool-call fragments and sends each call whole when the choice finishes', () => {
    const writer = geminiClientFormat.createStreamWriter('m', 0);
    const beforeFinish = [
      ...writer.onChunk(chunk([delta({ role: 'assistant', content: null })])),
      ...writer.onChunk(chunk([delta({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] })])),
      ...writer.onChunk(chunk([delta({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] })])),
      ...writer.onChunk(chunk([delta({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'now', arguments: '' } }] })])),
      ...writer.onChunk(chunk([delta({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] })])),
    ];
    expect(beforeFinish).toEqual([]);
    const [calls] = parse(writer.onChunk(chunk([delta({}, 'tool_calls')])));
    expect(calls.candidates).toEqual([
      { content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }, { functionCall: { name: 'now', args: {} } }] }, index: 0 },
    ]);
    const [last] = parse(writer.end(usage({ promptTokens: 4, completionTokens: 6, totalTokens: 10 })));
    expect(last.candidates).toEqual([{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP', index: 0 }]);
  });

  it('sends calls left without a finish reason in the final frame', () => {
    const writer = geminiClientFormat.createStreamWriter('m', 0);
    writer.onChunk(chunk([delta({ tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }] })]));
    const [last] = parse(writer.end(usage({ promptTokens: 1, completionTokens: 1, totalTokens: 2 })));
    expect(last.candidates).toEqual([{ content: { role: 'model', parts: [{ functionCall: { name: 'f', args: { x: 1 } } }] }, finishReason: 'STOP', index: 0 }]);
  });

  it('carries MAX_TOKENS and SAFETY to the final frame', () => {
    for (const [reason, expected] of [
      ['length', 'MAX_TOKENS'],
      ['content_filter', 'SAFETY'],
    ] as const) {
      const writer = geminiClientFormat.createStreamWriter('m', 0);
      writer.onChunk(chunk([delta({ content: 'x' }, reason)]));
      expect(parse(writer.end(ZERO_USAGE))[0].candidates?.[0].finishReason).toBe(expected);
    }
  });

  it('writes no frame for usage-only chunks and empty deltas', () => {
    const writer = geminiClientFormat.createStreamWriter('m', 0);
    expect(writer.onChunk(chunk([], { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }))).toEqual([]);
    expect(writer.onChunk(chunk([delta({ role: 'assistant' })]))).toEqual([]);
  });

  it('falls back to the prompt estimate when the final usage has no prompt count, and ends once', () => {
    const writer = geminiClientFormat.createStreamWriter('m', 25);
    const [last] = parse(writer.end(usage({ completionTokens: 3, totalTokens: 0 })));
    expect(last.usageMetadata).toEqual({ promptTokenCount: 25, candidatesTokenCount: 3, totalTokenCount: 28 });
    expect(last.candidates).toEqual([{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP', index: 0 }]);
    expect(writer.end(ZERO_USAGE)).toEqual([]);
    expect(writer.onChunk(chunk([delta({ content: 'late' })]))).toEqual([]);
  });

  it('writes an in-stream error as a Gemini error body', () => {
    const writer = geminiClientFormat.createStreamWriter('m', 0);
    expect(parse(writer.error(503, 'upstream unavailable'))).toEqual([{ error: { code: 503, message: 'upstream unavailable', status: 'UNAVAILABLE' } }]);
  });
});
