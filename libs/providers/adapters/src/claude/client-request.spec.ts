import { ClientRequestError } from '@your-api/providers-core';
import { claudeClientFormat } from './client-format';

const base = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] };

const toOpenAi = (body: unknown) => claudeClientFormat.toOpenAi(body, {});

/** The ClientRequestError a body is rejected with. */
function rejection(body: unknown): ClientRequestError {
  try {
    toOpenAi(body);
  } catch (error) {
    if (error instanceof ClientRequestError) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('claudeClientFormat.toOpenAi: validation', () => {
  it.each([
    ['a non-object body', [], null],
    ['a missing model', { ...base, model: undefined }, 'model'],
    ['an empty model', { ...base, model: ' ' }, 'model'],
    ['a missing max_tokens', { ...base, max_tokens: undefined }, 'max_tokens'],
    ['a zero max_tokens', { ...base, max_tokens: 0 }, 'max_tokens'],
    ['a fractional max_tokens', { ...base, max_tokens: 1.5 }, 'max_tokens'],
    ['missing messages', { ...base, messages: undefined }, 'messages'],
    ['empty messages', { ...base, messages: [] }, 'messages'],
    ['a message that is not an object', { ...base, messages: ['hi'] }, 'messages[0]'],
    ['a system role in messages', { ...base, messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role'],
    ['content that is neither string nor array', { ...base, messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    ['a block without type', { ...base, messages: [{ role: 'user', content: [{ text: 'x' }] }] }, 'messages[0].content[0].type'],
    ['a text block without text', { ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text'],
    [
      'an image with an unknown source type',
      { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] },
      'messages[0].content[0].source.type',
    ],
    [
      'a tool_result without tool_use_id',
      { ...base, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] },
      'messages[1].content[0].tool_use_id',
    ],
    ['a non-boolean stream', { ...base, stream: 'yes' }, 'stream'],
    ['a non-numeric temperature', { ...base, temperature: 'hot' }, 'temperature'],
    ['a system that is a number', { ...base, system: 3 }, 'system'],
    ['a system block that is not text', { ...base, system: [{ type: 'image' }] }, 'system[0].type'],
    ['stop_sequences that are not strings', { ...base, stop_sequences: [1] }, 'stop_sequences'],
    ['a tool without name', { ...base, tools: [{ input_schema: { type: 'object' } }] }, 'tools[0].name'],
    ['a tool without input_schema', { ...base, tools: [{ name: 'x' }] }, 'tools[0].input_schema'],
    ['an unknown tool_choice', { ...base, tool_choice: { type: 'sometimes' } }, 'tool_choice.type'],
    ['a named tool_choice without name', { ...base, tool_choice: { type: 'tool' } }, 'tool_choice.name'],
    ['a thinking budget that is not positive', { ...base, thinking: { type: 'enabled', budget_tokens: -1 } }, 'thinking.budget_tokens'],
  ])('rejects %s, naming the field', (_case, body, param) => {
    expect(rejection(body).param).toBe(param);
  });
});

describe('claudeClientFormat.toOpenAi: conversion', () => {
  it('converts the minimal request', () => {
    expect(toOpenAi(base)).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('turns a string or text-block system into a leading system message', () => {
    expect(toOpenAi({ ...base, system: 'Be brief.' }).messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(toOpenAi({ ...base, system: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B', cache_control: { type: 'ephemeral' } }] }).messages[0]).toEqual({
      role: 'system',
      content: 'A\nB',
    });
  });

  it('asks for the final usage chunk when streaming', () => {
    expect(toOpenAi({ ...base, stream: true })).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(toOpenAi({ ...base, stream: false }).stream).toBeUndefined();
  });

  it('keeps text-only block content as a plain string and mixed content as parts', () => {
    const request = toOpenAi({
      ...base,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'One' }, { type: 'text', text: 'Two' }] },
        { role: 'assistant', content: 'ok' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'One\nTwo' },
      { role: 'assistant', content: 'ok' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } },
          { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
        ],
      },
    ]);
  });

  it('turns tool_use into assistant tool_calls and tool_result into tool messages before the user text', () => {
    const request = toOpenAi({
      ...base,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Use the tool.', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'Sunny' }] },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'timeout', is_error: true },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'Sunny' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: timeout' },
      { role: 'user', content: 'And tomorrow?' },
    ]);
  });

  it('sends only tool messages for a user turn of tool results, and null content for a tool-only assistant turn', () => {
    const request = toOpenAi({
      ...base,
      messages: [
        { role: 'user', content: 'Go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'run', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1' }] },
      ],
    });
    expect(request.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'run', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 't1', content: '' },
    ]);
  });

  it('converts base64 PDF documents to file parts', () => {
    const request = toOpenAi({
      ...base,
      messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } }, { type: 'text', text: 'Summarise' }] }],
    });
    expect(request.messages[0].content).toEqual([
      { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=' } },
      { type: 'text', text: 'Summarise' },
    ]);
  });

  it('maps tools, skipping server tools', () => {
    const request = toOpenAi({
      ...base,
      tools: [
        { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
        { type: 'custom', name: 'noop', input_schema: { type: 'object' } },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
      ],
    });
    expect(request.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      { type: 'function', function: { name: 'noop', parameters: { type: 'object' } } },
    ]);
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
    [{ type: 'tool', name: 'get_weather' }, { type: 'function', function: { name: 'get_weather' } }],
  ])('maps tool_choice %j', (toolChoice, expected) => {
    const request = toOpenAi({ ...base, tool_choice: toolChoice });
    expect(request.tool_choice).toEqual(expected);
    expect(request.parallel_tool_calls).toBeUndefined();
  });

  it('maps disable_parallel_tool_use to parallel_tool_calls:false', () => {
    expect(toOpenAi({ ...base, tool_choice: { type: 'auto', disable_parallel_tool_use: true } }).parallel_tool_calls).toBe(false);
  });

  it('passes sampling, stop sequences and the metadata user through', () => {
    expect(
      toOpenAi({ ...base, temperature: 0.5, top_p: 0.9, top_k: 20, stop_sequences: ['END'], metadata: { user_id: 'u-1' } }),
    ).toMatchObject({ temperature: 0.5, top_p: 0.9, top_k: 20, stop: ['END'], user: 'u-1' });
  });

  it.each([
    [1024, 'low'],
    [4095, 'low'],
    [4096, 'medium'],
    [16383, 'medium'],
    [16384, 'high'],
  ])('maps a thinking budget of %d to reasoning_effort %s', (budget, effort) => {
    expect(toOpenAi({ ...base, thinking: { type: 'enabled', budget_tokens: budget } }).reasoning_effort).toBe(effort);
  });

  it('sets no reasoning_effort when thinking is disabled or absent', () => {
    expect(toOpenAi({ ...base, thinking: { type: 'disabled' } }).reasoning_effort).toBeUndefined();
    expect(toOpenAi(base).reasoning_effort).toBeUndefined();
  });
});
