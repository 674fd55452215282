import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChannelType } from '@your-api/contracts';
import { SseReader, type OpenAiChatChunk, type SseEvent, type UpstreamContext } from '@your-api/providers-core';
import { cohereUpstream } from './upstream';

const ctx: UpstreamContext = {
  channelType: ChannelType.Cohere,
  baseUrl: 'https://api.cohere.ai',
  apiKey: 'co-key',
  upstreamModel: 'command-a-03-2025',
  stream: true,
  other: '',
  settings: {},
};

/** Replays a recorded Cohere v2 stream `pieceSize` bytes at a time; returns every payload, end() included. */
function replay(fixture: string, pieceSize = Infinity): string[] {
  const converter = cohereUpstream.createChatStreamConverter(ctx);
  const payloads: string[] = [];
  const reader = new SseReader((event) => payloads.push(...converter.onEvent(event)));
  const bytes = readFileSync(join(__dirname, 'fixtures', fixture));
  const step = Number.isFinite(pieceSize) ? pieceSize : bytes.length;
  for (let offset = 0; offset < bytes.length; offset += step) reader.push(bytes.subarray(offset, offset + step));
  reader.end();
  payloads.push(...converter.end());
  return payloads;
}

const chunksOf = (payloads: string[]) => payloads.filter((p) => p !== '[DONE]').map((p) => JSON.parse(p) as OpenAiChatChunk);
const event = (type: string, data: Record<string, unknown>): SseEvent => ({ event: type, data: JSON.stringify({ type, ...data }), id: undefined });

describe('cohereUpstream.createChatStreamConverter', () => {
  it('streams text chunk by chunk: role first, finish, usage from billed_units, [DONE] once', () => {
    const payloads = replay('stream-text.sse', 7);
    expect(payloads.at(-1)).toBe('[DONE]');
    expect(payloads.filter((p) => p === '[DONE]')).toHaveLength(1);
    const chunks = chunksOf(payloads);
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([{ role: 'assistant', content: 'Hel' }, { content: 'lo, ' }, { content: 'wörld' }, {}, null]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, null, 'stop', null]);
    expect(chunks.every((c) => c.id === 'c14c80c3-text' && c.object === 'chat.completion.chunk' && c.model === 'command-a-03-2025')).toBe(true);
    expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } });
  });

  it('streams the tool plan as reasoning and tool calls as indexed OpenAI deltas', () => {
    const chunks = chunksOf(replay('stream-tool-calls.sse'));
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', reasoning_content: 'I will look up' },
      { reasoning_content: ' the weather.' },
      { tool_calls: [{ index: 0, id: 'get_weather_a1', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      { tool_calls: [{ index: 1, id: 'get_time_b2', type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } }] },
      {},
      null,
    ]);
    expect(chunks[6].choices[0].finish_reason).toBe('tool_calls');
    expect(chunks[7].usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 22 });
  });

  it('streams thinking parts as reasoning_content, MAX_TOKENS as length, usage from tokens', () => {
    const chunks = chunksOf(replay('stream-thinking.sse'));
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([{ role: 'assistant', reasoning_content: 'Primes below 6' }, { content: '2, 3, 5' }, {}, null]);
    expect(chunks[2].choices[0].finish_reason).toBe('length');
    expect(chunks[3].usage).toEqual({ prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 });
  });

  it('turns a finish_reason of ERROR into an error payload, without inventing a finish', () => {
    const payloads = replay('stream-error.sse');
    expect(payloads).toHaveLength(4);
    expect(JSON.parse(payloads[0])).toMatchObject({ choices: [{ delta: { role: 'assistant', content: 'Partial' } }] });
    expect(JSON.parse(payloads[1])).toEqual({ error: { message: 'Cohere ended the generation with ERROR', type: 'upstream_error', code: 'ERROR' } });
    expect(JSON.parse(payloads[2])).toMatchObject({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 1 } });
    expect(payloads[3]).toBe('[DONE]');
  });

  it('closes a reply the stream cut short (no message-end): stop finish, no usage, [DONE]', () => {
    const payloads = replay('stream-cut-short.sse');
    const chunks = chunksOf(payloads);
    expect(chunks.map((c) => [c.choices[0].delta.content, c.choices[0].finish_reason])).toEqual([
      ['Cut ', null],
      ['short', null],
      [undefined, 'stop'],
    ]);
    expect(payloads.at(-1)).toBe('[DONE]');
  });

  it('reads the event name from the SSE line when the JSON has no type', () => {
    const converter = cohereUpstream.createChatStreamConverter(ctx);
    const [payload] = converter.onEvent({ event: 'content-delta', data: JSON.stringify({ index: 0, delta: { message: { content: { text: 'x' } } } }), id: undefined });
    expect((JSON.parse(payload) as OpenAiChatChunk).choices[0].delta.content).toBe('x');
  });

  it('ignores fragments of unknown tool calls, unknown events and non-JSON, and stops after the end', () => {
    const converter = cohereUpstream.createChatStreamConverter(ctx);
    expect(converter.onEvent(event('tool-call-delta', { index: 3, delta: { message: { tool_calls: { function: { arguments: '{}' } } } } }))).toEqual([]);
    expect(converter.onEvent(event('citation-start', { index: 0, delta: { message: { citations: {} } } }))).toEqual([]);
    expect(converter.onEvent({ event: undefined, data: 'not json', id: undefined })).toEqual([]);
    expect(converter.end()).toEqual(['[DONE]']);
    expect(converter.end()).toEqual([]);
    expect(converter.onEvent(event('content-delta', { index: 0, delta: { message: { content: { text: 'late' } } } }))).toEqual([]);
  });
});
