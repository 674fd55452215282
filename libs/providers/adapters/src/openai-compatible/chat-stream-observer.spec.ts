import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SseReader } from '@your-api/providers-core';
import { ChatStreamObserver } from './chat-stream-observer';
import { summariseOpenAiResponse } from './response-reader';
import { openAiUpstreamUrl } from './endpoints';

/** Replays a recorded SSE fixture through the observer, returning what the client would receive. */
function replay(fixture: string, clientWantsUsage: boolean) {
  const texts: string[] = [];
  const observer = new ChatStreamObserver({ clientWantsUsage, onText: (t) => texts.push(t) });
  const forwarded: string[] = [];
  const reader = new SseReader((event) => forwarded.push(...observer.onEvent(event.data).forward));
  reader.push(readFileSync(join(__dirname, 'fixtures', fixture)));
  reader.end();
  return { observer, forwarded, texts };
}

describe('ChatStreamObserver', () => {
  it('forwards every event as its own frame and reads usage', () => {
    const { observer, forwarded, texts } = replay('chat-stream-with-usage.sse', true);
    expect(forwarded).toHaveLength(6);
    expect(forwarded[5]).toBe('[DONE]');
    expect(texts.join('')).toBe('Hello');
    expect(observer.result).toMatchObject({
      usage: { promptTokens: 9, completionTokens: 2, totalTokens: 11, cachedTokens: 4 },
      finishReason: 'stop',
      sawContent: true,
      sawDone: true,
    });
  });

  it('drops the usage chunk the client did not ask for but still bills from it', () => {
    const { observer, forwarded } = replay('chat-stream-with-usage.sse', false);
    expect(forwarded).toHaveLength(5);
    expect(forwarded.some((d) => d.includes('"choices":[]'))).toBe(false);
    expect(observer.result.usage?.completionTokens).toBe(2);
  });

  it('counts tool calls as content', () => {
    const { observer, forwarded } = replay('chat-stream-tool-call.sse', false);
    expect(observer.result).toMatchObject({ finishReason: 'tool_calls', sawContent: true, usage: null });
    expect(forwarded).toHaveLength(5);
  });

  it('holds back an empty reply so it can be retried, and releases it on demand', () => {
    const { observer, forwarded } = replay('chat-stream-empty.sse', false);
    expect(forwarded).toEqual([]);
    expect(observer.hasStarted).toBe(false);
    expect(observer.result.sawContent).toBe(false);
    const released = observer.flushHeld();
    expect(released).toHaveLength(3);
    expect(released[2]).toBe('[DONE]');
  });

  it('forwards an in-stream error at once', () => {
    const observer = new ChatStreamObserver({ clientWantsUsage: false });
    const step = observer.onEvent('{"error":{"message":"boom","type":"server_error"}}');
    expect(step.forward).toHaveLength(1);
    expect(observer.result.upstreamError).toEqual({ message: 'boom', type: 'server_error' });
  });
});

describe('summariseOpenAiResponse', () => {
  it('reads chat content and usage', () => {
    const summary = summariseOpenAiResponse({
      choices: [{ message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
    });
    expect(summary).toMatchObject({ hasContent: true, text: 'Hi', finishReason: 'stop', usage: { promptTokens: 5, completionTokens: 1 } });
  });

  it('sees an empty reply', () => {
    expect(summariseOpenAiResponse({ choices: [{ message: { content: '' }, finish_reason: 'stop' }] }).hasContent).toBe(false);
  });

  it('treats embeddings data as content', () => {
    expect(summariseOpenAiResponse({ data: [{ embedding: [0.1] }], usage: { prompt_tokens: 3, total_tokens: 3 } })).toMatchObject({
      hasContent: true,
      usage: { promptTokens: 3, totalTokens: 3 },
    });
  });
});

describe('openAiUpstreamUrl', () => {
  it('joins base URLs with the endpoint path', () => {
    expect(openAiUpstreamUrl(1, '', 'chat')).toBe('https://api.openai.com/v1/chat/completions');
    expect(openAiUpstreamUrl(1, 'http://127.0.0.1:9/', 'embeddings')).toBe('http://127.0.0.1:9/v1/embeddings');
    expect(openAiUpstreamUrl(8, 'http://x/api/v1', 'chat')).toBe('http://x/api/v1/chat/completions');
    expect(openAiUpstreamUrl(43, null, 'chat')).toBe('https://api.deepseek.com/v1/chat/completions');
  });
});
