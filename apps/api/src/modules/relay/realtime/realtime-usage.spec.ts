import { readResponseDoneUsage, realtimeResponseQuota, RealtimeRatios } from './realtime-usage';

const ratios: RealtimeRatios = {
  usePrice: false,
  modelPrice: 0,
  modelRatio: 2.5,
  completionRatio: 4,
  audioRatio: 8,
  audioCompletionRatio: 2,
  groupRatio: 1,
  quotaPerUnit: 500_000,
};

const done = (usage: unknown) => JSON.stringify({ type: 'response.done', event_id: 'ev_1', response: { id: 'resp_1', status: 'completed', output: [], usage } });

describe('readResponseDoneUsage', () => {
  it('reads the per-modality token counts of a response.done', () => {
    const usage = readResponseDoneUsage(
      Buffer.from(
        done({
          total_tokens: 450,
          input_tokens: 300,
          output_tokens: 150,
          input_token_details: { text_tokens: 100, audio_tokens: 200, cached_tokens: 64 },
          output_token_details: { text_tokens: 50, audio_tokens: 100 },
        }),
      ),
    );
    expect(usage).toEqual({
      inputTokens: 300,
      outputTokens: 150,
      textInputTokens: 100,
      audioInputTokens: 200,
      textOutputTokens: 50,
      audioOutputTokens: 100,
      cachedTokens: 64,
    });
  });

  it('counts tokens without per-modality details as text', () => {
    expect(readResponseDoneUsage(done({ input_tokens: 40, output_tokens: 9 }))).toMatchObject({
      textInputTokens: 40,
      audioInputTokens: 0,
      textOutputTokens: 9,
      audioOutputTokens: 0,
    });
    // Audio given, text missing: text is the rest.
    expect(readResponseDoneUsage(done({ input_tokens: 40, output_tokens: 9, input_token_details: { audio_tokens: 30 } }))).toMatchObject({
      textInputTokens: 10,
      audioInputTokens: 30,
    });
  });

  it('gives zero usage for a response.done without usage (a failed response)', () => {
    expect(readResponseDoneUsage(JSON.stringify({ type: 'response.done', response: { status: 'failed' } }))).toMatchObject({ inputTokens: 0, outputTokens: 0 });
  });

  it('ignores every other frame, including text that merely mentions response.done', () => {
    expect(readResponseDoneUsage('{"type":"response.audio.delta","delta":"AAAA"}')).toBeNull();
    expect(readResponseDoneUsage(JSON.stringify({ type: 'response.text.delta', delta: 'say "response.done" please' }))).toBeNull();
    expect(readResponseDoneUsage('{"type":"response.done", broken')).toBeNull();
    expect(readResponseDoneUsage(JSON.stringify({ type: 'conversation.item.created', item: { name: 'response.done' } }))).toBeNull();
  });

  it('treats negative, fractional and non-numeric counts safely', () => {
    expect(readResponseDoneUsage(done({ input_tokens: -5, output_tokens: 7.9, input_token_details: { text_tokens: 'x' } }))).toMatchObject({
      inputTokens: 0,
      outputTokens: 7,
      textInputTokens: 0,
    });
  });
});

describe('realtimeResponseQuota', () => {
  const usage = {
    inputTokens: 300,
    outputTokens: 150,
    textInputTokens: 100,
    audioInputTokens: 200,
    textOutputTokens: 50,
    audioOutputTokens: 100,
    cachedTokens: 0,
  };

  it('bills with the audio formula', () => {
    // (100 + 50×4 + 200×8 + 100×8×2) × 2.5 × 1 = 3500 × 2.5
    expect(realtimeResponseQuota(usage, ratios)).toBe(8750);
    // group ratio 0.5 halves it
    expect(realtimeResponseQuota(usage, { ...ratios, groupRatio: 0.5 })).toBe(4375);
  });

  it('bills a per-call price when the model has one', () => {
    // 0.01 USD × 500000 × group 2
    expect(realtimeResponseQuota(usage, { ...ratios, usePrice: true, modelPrice: 0.01, groupRatio: 2 })).toBe(10_000);
  });

  it('bills nothing for a response without tokens and at least 1 otherwise', () => {
    const none = { ...usage, textInputTokens: 0, audioInputTokens: 0, textOutputTokens: 0, audioOutputTokens: 0 };
    expect(realtimeResponseQuota(none, ratios)).toBe(0);
    expect(realtimeResponseQuota({ ...none, textInputTokens: 1 }, { ...ratios, modelRatio: 0.001 })).toBe(1);
  });
});
