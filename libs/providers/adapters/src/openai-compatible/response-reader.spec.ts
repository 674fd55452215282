import { scanOpenAiUsage, summariseOpenAiResponse } from './response-reader';

const reply = (extra: Record<string, unknown>) =>
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
    ...extra,
  });

describe('scanOpenAiUsage', () => {
  it('reads the same usage as parsing the whole reply', () => {
    const usage = { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } };
    for (const text of [reply({ usage }), `  ${reply({ usage })}\n`, JSON.stringify({ usage, choices: [] }, null, 2)]) {
      expect(scanOpenAiUsage(text)).toEqual(summariseOpenAiResponse(JSON.parse(text)).usage);
    }
    expect(scanOpenAiUsage(reply({ usage }))).toMatchObject({ promptTokens: 20, completionTokens: 10, cachedTokens: 4, reasoningTokens: 2 });
  });

  it('is not fooled by "usage" written inside strings, braces in strings or usage without counts', () => {
    const tricky = JSON.stringify({
      choices: [{ message: { role: 'assistant', content: 'the "usage": {"prompt_tokens": 999} } and {' } }],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4, note: 'a } brace and a \\" quote' },
    });
    expect(scanOpenAiUsage(tricky)).toMatchObject({ promptTokens: 3, completionTokens: 1 });
    const onlyInContent = reply({ choices: [{ message: { content: '"usage": {"prompt_tokens": 5}' } }] });
    expect(scanOpenAiUsage(onlyInContent)).toBeNull();
    // A usage key that is not the reply's own (nested) does not count; fields after usage do not matter.
    expect(scanOpenAiUsage(reply({ choices: [{ message: { content: 'x' }, usage: { prompt_tokens: 9 } }] }))).toBeNull();
    expect(scanOpenAiUsage(reply({ usage: { prompt_tokens: 2, completion_tokens: 1 }, system_fingerprint: 'fp_1' }))).toMatchObject({ promptTokens: 2 });
    // Duplicate keys: the last one, as JSON.parse reads it.
    expect(scanOpenAiUsage('{"usage":{"prompt_tokens":1},"usage":{"prompt_tokens":2}}')).toMatchObject({ promptTokens: 2 });
    expect(scanOpenAiUsage(reply({ usage: {} }))).toBeNull();
    expect(scanOpenAiUsage(reply({ usage: null }))).toBeNull();
  });

  it('gives up (null) on anything but a whole JSON object', () => {
    expect(scanOpenAiUsage('')).toBeNull();
    expect(scanOpenAiUsage('[{"usage":{"prompt_tokens":1}}]')).toBeNull();
    expect(scanOpenAiUsage('{"usage":{"prompt_tokens":1}')).toBeNull();
    expect(scanOpenAiUsage('{"usage":{"prompt_tokens":1,}}')).toBeNull();
    expect(scanOpenAiUsage('data: {"usage":{"prompt_tokens":1}}')).toBeNull();
    expect(scanOpenAiUsage('{"usage":{"prompt_tokens":1}} trailing')).toBeNull();
    expect(scanOpenAiUsage('{"a":"unterminated}')).toBeNull();
  });
});
