import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChannelType } from '@your-api/contracts';
import { SseReader, type OpenAiChatChunk, type UpstreamContext } from '@your-api/providers-core';
import { geminiUpstream } from './upstream';

const ctx: UpstreamContext = {
  channelType: ChannelType.Gemini,
  baseUrl: 'https://generativelanguage.googleapis.com',
  apiKey: 'test-key',
  upstreamModel: 'gemini-2.5-flash',
  stream: true,
  other: '',
  settings: {},
};

/** Replays a recorded Gemini `alt=sse` fixture; returns the OpenAI payloads in order, end() included. */
function replay(fixture: string): string[] {
  const converter = geminiUpstream.createChatStreamConverter(ctx);
  const payloads: string[] = [];
  const reader = new SseReader((event) => payloads.push(...converter.onEvent(event)));
  reader.push(readFileSync(join(__dirname, 'fixtures', fixture)));
  reader.end();
  payloads.push(...converter.end());
  return payloads;
}

const chunksOf = (payloads: string[]): OpenAiChatChunk[] => payloads.filter((p) => p !== '[DONE]').map((p) => JSON.parse(p) as OpenAiChatChunk);

const event = (data: unknown) => ({ data: JSON.stringify(data), event: undefined, id: undefined });

describe('geminiUpstream.createChatStreamConverter', () => {
  it('streams text across chunks, the role on the first, then finish, usage and [DONE]', () => {
    const payloads = replay('stream-text.sse');
    expect(payloads[payloads.length - 1]).toBe('[DONE]');
    const chunks = chunksOf(payloads);
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: 'Hel' },
      { content: 'lo, ' },
      { content: 'world' },
      {},
      null,
    ]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, null, 'stop', null]);
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(['chatcmpl-resp-text-1']));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'gemini-2.5-flash')).toBe(true);
    expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 } });
  });

  it('sends function calls whole, indexed from 0, and finishes with tool_calls', () => {
    const chunks = chunksOf(replay('stream-function-call.sse'));
    expect(chunks[0].choices[0].delta).toEqual({
      role: 'assistant',
      tool_calls: [
        { index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { index: 1, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } },
      ],
    });
    expect(chunks[1].choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'tool_calls' });
    expect(chunks[2].usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 12 });
  });

  it('keeps counting call indexes across chunks', () => {
    const converter = geminiUpstream.createChatStreamConverter(ctx);
    const call = (name: string) => ({ candidates: [{ content: { parts: [{ functionCall: { name, args: {} } }] }, index: 0 }] });
    converter.onEvent(event(call('a')));
    const [second] = converter.onEvent(event(call('b')));
    expect((JSON.parse(second) as OpenAiChatChunk).choices[0].delta.tool_calls?.[0]).toMatchObject({ index: 1, function: { name: 'b' } });
  });

  it('streams thoughts as reasoning_content and bills usage from the last chunk', () => {
    const chunks = chunksOf(replay('stream-thoughts.sse'));
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', reasoning_content: 'Let me think about primes.' },
      { content: '2, 3, 5' },
      {},
      null,
    ]);
    expect(chunks[3].usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 40,
      total_tokens: 50,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 34 },
    });
  });

  it('forwards an in-stream error as an OpenAI error payload and does not invent a finish', () => {
    const payloads = replay('stream-error.sse');
    expect(payloads).toHaveLength(4);
    expect(JSON.parse(payloads[1])).toEqual({ error: { message: 'The model is overloaded. Please try again later.', type: 'UNAVAILABLE' } });
    expect(JSON.parse(payloads[2])).toMatchObject({ choices: [], usage: { prompt_tokens: 3 } });
    expect(payloads[3]).toBe('[DONE]');
  });

  it('closes a choice the stream left unfinished when it ends', () => {
    const chunks = chunksOf(replay('stream-no-finish.sse'));
    expect(chunks.map((c) => [c.choices[0]?.delta.content, c.choices[0]?.finish_reason])).toEqual([
      ['Cut ', null],
      ['short', null],
      [undefined, 'stop'],
      [undefined, undefined],
    ]);
    expect(chunks[3].usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
  });

  it('answers a blocked prompt with a content_filter finish', () => {
    const chunks = chunksOf(replay('stream-blocked-prompt.sse'));
    expect(chunks[0].choices).toEqual([{ index: 0, delta: { role: 'assistant' }, finish_reason: 'content_filter' }]);
    expect(chunks[1].usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 0 });
  });

  it('ends an empty stream with [DONE] only, once', () => {
    const converter = geminiUpstream.createChatStreamConverter(ctx);
    expect(converter.end()).toEqual(['[DONE]']);
    expect(converter.end()).toEqual([]);
    expect(converter.onEvent(event({ candidates: [{ content: { parts: [{ text: 'late' }] } }] }))).toEqual([]);
  });

  it('ignores payloads that are not JSON and chunks without news', () => {
    const converter = geminiUpstream.createChatStreamConverter(ctx);
    expect(converter.onEvent({ data: ': keep-alive', event: undefined, id: undefined })).toEqual([]);
    expect(converter.onEvent(event({ candidates: [{ content: { parts: [{ text: '' }] }, index: 0 }] }))).toEqual([]);
  });
});
