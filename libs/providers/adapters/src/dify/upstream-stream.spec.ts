import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChannelType } from '@your-api/contracts';
import { SseReader, type OpenAiChatChunk, type UpstreamContext } from '@your-api/providers-core';
import { difyUpstream } from './upstream';

const ctx = (difyDebug?: boolean): UpstreamContext => ({
  channelType: ChannelType.Dify,
  baseUrl: 'https://api.dify.ai',
  apiKey: 'app-key',
  upstreamModel: 'dify-chatflow',
  stream: true,
  other: '',
  settings: difyDebug === undefined ? {} : { difyDebug },
});

/** Replays a recorded Dify stream `pieceSize` bytes at a time; returns every payload, end() included. */
function replay(fixture: string, context = ctx(), pieceSize = Infinity): string[] {
  const converter = difyUpstream.createChatStreamConverter(context);
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

describe('difyUpstream.createChatStreamConverter', () => {
  it('streams a chatflow answer; without DIFY_DEBUG the workflow events are silent', () => {
    const payloads = replay('stream-chatflow.sse', ctx(), 11);
    expect(deltasOf(payloads)).toEqual([{ role: 'assistant', content: 'Bon' }, { content: 'jour ' }, { content: 'à tous' }, {}, null]);
    const chunks = chunksOf(payloads);
    expect(chunks[3].choices[0].finish_reason).toBe('stop');
    expect(chunks[4]).toMatchObject({ choices: [], usage: { prompt_tokens: 24, completion_tokens: 7, total_tokens: 31 } });
    expect(chunks.every((c) => c.id === 'msg-flow-1' && c.model === 'dify-chatflow')).toBe(true);
    expect(payloads.at(-1)).toBe('[DONE]');
    expect(payloads.filter((p) => p === '[DONE]')).toHaveLength(1);
  });

  it('defaults DIFY_DEBUG to off when the setting is absent or false', () => {
    expect(deltasOf(replay('stream-chatflow.sse', ctx(false)))).toEqual(deltasOf(replay('stream-chatflow.sse', ctx())));
    expect(deltasOf(replay('stream-chatflow.sse', ctx(false))).some((d) => d?.reasoning_content !== undefined)).toBe(false);
  });

  it('with DIFY_DEBUG, streams workflow and node events as reasoning_content lines, the answer unchanged', () => {
    const deltas = deltasOf(replay('stream-chatflow.sse', ctx(true)));
    expect(deltas).toEqual([
      { role: 'assistant', reasoning_content: 'Workflow: wf-42\n' },
      { reasoning_content: 'Node: start Start\n' },
      { reasoning_content: 'Node: start Start succeeded\n' },
      { reasoning_content: 'Node: llm LLM\n' },
      { content: 'Bon' },
      { content: 'jour ' },
      { content: 'à tous' },
      { reasoning_content: 'Node: llm LLM succeeded\n' },
      { reasoning_content: 'Workflow: wf-42 succeeded\n' },
      {},
      null,
    ]);
  });

  it('streams agent_message answers; agent thoughts only with DIFY_DEBUG; zero usage is left out', () => {
    const plain = replay('stream-agent.sse');
    expect(deltasOf(plain)).toEqual([{ role: 'assistant', content: 'It is sunny' }, { content: ' in Paris.' }, {}]);
    expect(chunksOf(plain).some((c) => c.usage)).toBe(false);
    expect(plain.at(-1)).toBe('[DONE]');
    expect(deltasOf(replay('stream-agent.sse', ctx(true)))[0]).toEqual({ role: 'assistant', reasoning_content: 'Agent thought: I should search the web. [google_search]\n' });
  });

  it('turns an error event into an OpenAI error payload and ends without a finish', () => {
    const payloads = replay('stream-error.sse');
    expect(payloads).toHaveLength(3);
    expect(JSON.parse(payloads[0])).toMatchObject({ choices: [{ delta: { content: 'Partial' }, finish_reason: null }] });
    expect(JSON.parse(payloads[1])).toEqual({
      error: { message: 'Your quota for Dify Hosted Model Provider has been exhausted.', type: 'dify_error', code: 'provider_quota_exceeded' },
    });
    expect(payloads[2]).toBe('[DONE]');
  });

  it('turns the thinking markers into <think> tags and closes a stream without message_end', () => {
    const payloads = replay('stream-thinking.sse');
    expect(deltasOf(payloads)).toEqual([{ role: 'assistant', content: '<think>' }, { content: 'Two plus two.' }, { content: '</think>' }, { content: '4' }, {}]);
    expect(chunksOf(payloads)[4].choices[0].finish_reason).toBe('stop');
    expect(payloads.at(-1)).toBe('[DONE]');
  });

  it('ends an empty stream with [DONE] only, once', () => {
    const converter = difyUpstream.createChatStreamConverter(ctx());
    expect(converter.onEvent({ event: 'ping', data: '', id: undefined })).toEqual([]);
    expect(converter.end()).toEqual(['[DONE]']);
    expect(converter.end()).toEqual([]);
  });
});
