import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChannelType } from '@your-api/contracts';
import { SseReader, type OpenAiChatChunk, type UpstreamContext } from '@your-api/providers-core';
import { cozeUpstream } from './upstream';

const ctx: UpstreamContext = {
  channelType: ChannelType.Coze,
  baseUrl: 'https://api.coze.cn',
  apiKey: 'pat_key',
  upstreamModel: 'coze-bot',
  stream: true,
  other: 'bot-1',
  settings: {},
};

/** Replays a recorded Coze stream `pieceSize` bytes at a time; returns every payload, end() included. */
function replay(fixture: string, pieceSize = Infinity): string[] {
  const converter = cozeUpstream.createChatStreamConverter(ctx);
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
const deltasOf = (payloads: string[]) => chunksOf(payloads).map((c) => c.choices[0]?.delta ?? null);

describe('cozeUpstream.createChatStreamConverter', () => {
  it('streams answer deltas only, then the finish, the usage of chat.completed and [DONE] once', () => {
    const payloads = replay('stream-text.sse', 13);
    expect(deltasOf(payloads)).toEqual([{ role: 'assistant', content: 'Bon' }, { content: 'jour ' }, { content: 'à vous' }, {}, null]);
    const chunks = chunksOf(payloads);
    expect(chunks[3].choices[0].finish_reason).toBe('stop');
    expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 366, completion_tokens: 32, total_tokens: 398 } });
    expect(chunks.every((c) => c.id === '7382159487131697202' && c.model === 'coze-bot')).toBe(true);
    expect(payloads.at(-1)).toBe('[DONE]');
    expect(payloads.filter((p) => p === '[DONE]')).toHaveLength(1);
  });

  it("keeps plugin calls and tool output out, and streams an answer's reasoning_content", () => {
    const payloads = replay('stream-plugin-and-reasoning.sse');
    expect(deltasOf(payloads)).toEqual([{ role: 'assistant', reasoning_content: 'The plugin says 18.' }, { content: 'It is 18°C.' }, {}, null]);
    expect(chunksOf(payloads)[3].usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20 });
  });

  it('turns conversation.chat.failed into an error payload without a finish', () => {
    expect(replay('stream-failed.sse')).toEqual([
      JSON.stringify({ error: { message: "The chat has exceeded the model's token limit.", type: 'coze_error', code: '4028' } }),
      '[DONE]',
    ]);
  });

  it('turns an error event into an error payload, and [DONE] at the end', () => {
    expect(replay('stream-error.sse')).toEqual([
      JSON.stringify({ error: { message: 'Requested resource bot_id=123 does not exist.', type: 'coze_error', code: '4200' } }),
      '[DONE]',
    ]);
  });

  it('closes a stream that stopped before chat.completed with a stop finish', () => {
    const converter = cozeUpstream.createChatStreamConverter(ctx);
    const delta = converter.onEvent({ event: 'conversation.message.delta', data: JSON.stringify({ role: 'assistant', type: 'answer', content: 'Half' }), id: undefined });
    expect((JSON.parse(delta[0]) as OpenAiChatChunk).choices[0].delta).toEqual({ role: 'assistant', content: 'Half' });
    const rest = converter.end();
    expect((JSON.parse(rest[0]) as OpenAiChatChunk).choices[0].finish_reason).toBe('stop');
    expect(rest.slice(1)).toEqual(['[DONE]']);
    expect(converter.end()).toEqual([]);
  });

  it('says a bot waiting for a client-side plugin is an error', () => {
    const converter = cozeUpstream.createChatStreamConverter(ctx);
    const [payload] = converter.onEvent({ event: 'conversation.chat.requires_action', data: JSON.stringify({ id: 'c', status: 'requires_action' }), id: undefined });
    expect(JSON.parse(payload)).toMatchObject({ error: { type: 'coze_error', message: expect.stringContaining('plugin') } });
  });
});
