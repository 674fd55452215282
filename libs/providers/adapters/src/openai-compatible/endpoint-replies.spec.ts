import { audioSecondsToTokens, ResponsesStreamReader, summariseEndpointReply } from './endpoint-replies';

describe('summariseEndpointReply', () => {
  it('reads Responses API usage with cached and reasoning details', () => {
    const summary = summariseEndpointReply('responses', {
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'Hi there' }] }],
      usage: { input_tokens: 20, input_tokens_details: { cached_tokens: 5 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 4 }, total_tokens: 29 },
    });
    expect(summary).toMatchObject({ hasContent: true, text: 'Hi there', usage: { promptTokens: 20, completionTokens: 9, cachedTokens: 5, reasoningTokens: 4 } });
  });
  it('treats a total-only usage (Jina rerank) as prompt tokens', () => {
    expect(summariseEndpointReply('rerank', { results: [{ index: 0 }], usage: { total_tokens: 12 } }).usage).toMatchObject({ promptTokens: 12, totalTokens: 12 });
  });
  it('sees empty image and rerank replies', () => {
    expect(summariseEndpointReply('images/generations', { data: [] }).hasContent).toBe(false);
    expect(summariseEndpointReply('rerank', { results: [] }).hasContent).toBe(false);
  });
  it('reads transcription usage, duration usage and verbose_json duration', () => {
    expect(summariseEndpointReply('audio/transcriptions', { text: 'a', usage: { type: 'tokens', input_tokens: 7, output_tokens: 2 } }).usage).toMatchObject({ promptTokens: 7, completionTokens: 2 });
    expect(summariseEndpointReply('audio/transcriptions', { text: 'a', usage: { type: 'duration', seconds: 30 } })).toMatchObject({ usage: null, audioSeconds: 30 });
    expect(summariseEndpointReply('audio/translations', { text: 'a', duration: 61.5 }).audioSeconds).toBe(61.5);
  });
});

describe('audioSecondsToTokens', () => {
  it('bills 1000 tokens a minute, seconds rounded up', () => {
    expect(audioSecondsToTokens(60)).toBe(1000);
    expect(audioSecondsToTokens(90.2)).toBe(1517);
    expect(audioSecondsToTokens(0.1)).toBe(17);
  });
});

describe('ResponsesStreamReader', () => {
  const event = (type: string, data: Record<string, unknown> = {}) => ({ event: type, data: JSON.stringify({ type, ...data }), id: undefined });
  it('turns text deltas into content chunks and response.completed into a usage chunk and [DONE]', () => {
    const reader = new ResponsesStreamReader();
    expect(reader.onEvent(event('response.created', { response: {} }))).toEqual([]);
    const delta = reader.onEvent(event('response.output_text.delta', { delta: 'Hel' }));
    expect(JSON.parse(delta[0])).toMatchObject({ choices: [{ delta: { content: 'Hel' } }] });
    const done = reader.onEvent(event('response.completed', { response: { usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } } }));
    expect(JSON.parse(done[0])).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } });
    expect(done[1]).toBe('[DONE]');
    expect(reader.end()).toEqual([]);
  });
  it('reports an error event and ends with [DONE] when the stream stops early', () => {
    const reader = new ResponsesStreamReader();
    expect(JSON.parse(reader.onEvent(event('error', { message: 'boom', code: 'server_error' }))[0])).toEqual({ error: { message: 'boom', type: 'server_error' } });
    expect(reader.end()).toEqual(['[DONE]']);
  });
});
