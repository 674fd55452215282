import { ClientRequestError, type OpenAiChatRequest } from '@your-api/providers-core';
import { geminiClientFormat } from './client-format';

const route = { pathModel: 'gemini-2.5-flash', pathStream: false };
const toOpenAi = (body: unknown, r: { pathModel?: string; pathStream?: boolean } = route): OpenAiChatRequest => geminiClientFormat.toOpenAi(body, r);
const user = (text: string) => ({ role: 'user', parts: [{ text }] });

/** The ClientRequestError a body raises (fails the test when it raises none). */
function rejection(body: unknown, r = route): ClientRequestError {
  try {
    toOpenAi(body, r);
  } catch (error) {
    if (error instanceof ClientRequestError) return error;
    throw error;
  }
  throw new Error('expected a ClientRequestError');
}

describe('geminiClientFormat.toOpenAi: validation', () => {
  it.each([
    ['a body that is not an object', [user('hi')], null],
    ['missing contents', {}, 'contents'],
    ['empty contents', { contents: [] }, 'contents'],
    ['a turn that is not an object', { contents: ['hi'] }, 'contents[0]'],
    ['an unknown role', { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, 'contents[0].role'],
    ['empty parts', { contents: [user('a'), { role: 'model', parts: [] }] }, 'contents[1].parts'],
    ['missing parts', { contents: [{ role: 'user' }] }, 'contents[0].parts'],
    ['a part without data', { contents: [{ parts: [{ text: 'a' }, { foo: 1 }] }] }, 'contents[0].parts[1]'],
    ['a text that is not a string', { contents: [{ parts: [{ text: 3 }] }] }, 'contents[0].parts[0].text'],
    ['inlineData without a mime type', { contents: [{ parts: [{ inlineData: { data: 'AA==' } }] }] }, 'contents[0].parts[0].inlineData.mimeType'],
    ['fileData without a URI', { contents: [{ parts: [{ file_data: { mime_type: 'image/png' } }] }] }, 'contents[0].parts[0].fileData.fileUri'],
    ['a functionCall without a name', { contents: [user('q'), { role: 'model', parts: [{ functionCall: { args: {} } }] }] }, 'contents[1].parts[0].functionCall.name'],
    ['a functionCall in a user turn', { contents: [{ parts: [{ functionCall: { name: 'f' } }] }] }, 'contents[0].parts[0]'],
    ['a functionResponse without its call', { contents: [{ parts: [{ functionResponse: { name: 'f', response: {} } }] }] }, 'contents[0].parts[0].functionResponse'],
    ['a generationConfig that is not an object', { contents: [user('a')], generationConfig: 1 }, 'generationConfig'],
    ['a temperature that is not a number', { contents: [user('a')], generation_config: { temperature: 'hot' } }, 'generationConfig.temperature'],
    ['stop sequences that are not strings', { contents: [user('a')], generationConfig: { stopSequences: ['a', 2] } }, 'generationConfig.stopSequences[1]'],
    ['tools that are not an array', { contents: [user('a')], tools: {} }, 'tools'],
    ['a declaration without a name', { contents: [user('a')], tools: [{ functionDeclarations: [{ description: 'x' }] }] }, 'tools[0].functionDeclarations[0].name'],
    ['an unknown calling mode', { contents: [user('a')], toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } }, 'toolConfig.functionCallingConfig.mode'],
  ])('rejects %s', (_what, body, param) => {
    expect(rejection(body).param).toBe(param);
  });

  it('rejects a path without a model', () => {
    expect(rejection({ contents: [user('a')] }, { pathModel: '', pathStream: false }).param).toBe('model');
  });
});

describe('geminiClientFormat.toOpenAi: conversion', () => {
  it('takes the model from the path without models/, and streams with usage when the path says so', () => {
    expect(toOpenAi({ contents: [user('hi')] }, { pathModel: 'models/gemini-2.5-pro', pathStream: true })).toEqual({
      model: 'gemini-2.5-pro',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(toOpenAi({ contents: [user('hi')] })).not.toHaveProperty('stream');
  });

  it('turns systemInstruction into a system message', () => {
    const request = toOpenAi({ systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Be kind.' }] }, contents: [user('hi')] });
    expect(request.messages[0]).toEqual({ role: 'system', content: 'Be brief.\nBe kind.' });
  });

  it('converts media parts by type', () => {
    const request = toOpenAi({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What is in these?' },
            { inlineData: { mimeType: 'image/png', data: 'iVBO' } },
            { inlineData: { mimeType: 'audio/mpeg', data: 'SUQz' } },
            { inlineData: { mimeType: 'audio/wav', data: 'UklG' } },
            { inlineData: { mimeType: 'application/pdf', data: 'JVBE' } },
            { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/a.jpg' } },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } },
          { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } },
          { type: 'input_audio', input_audio: { data: 'UklG', format: 'wav' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE' } },
          { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
        ],
      },
    ]);
  });

  it('drops thought parts and keeps the answer', () => {
    const request = toOpenAi({
      contents: [user('q'), { role: 'model', parts: [{ text: 'thinking…', thought: true }, { text: 'answer' }] }, user('more')],
    });
    expect(request.messages[1]).toEqual({ role: 'assistant', content: 'answer' });
  });

  it('pairs function responses with the most recent unanswered call of that name', () => {
    const request = toOpenAi({
      contents: [
        user('weather in Paris and Rome, and the time'),
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
            { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
            { functionCall: { name: 'get_time' } },
          ],
        },
        {
          role: 'function',
          parts: [
            { functionResponse: { name: 'get_time', response: { time: '14:00' } } },
            { functionResponse: { name: 'get_weather', response: { temp: 21 } } },
            { functionResponse: { name: 'get_weather', response: { temp: 18 } } },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'weather in Paris and Rome, and the time' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          { id: 'call_3', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_3', content: '{"time":"14:00"}' },
      { role: 'tool', tool_call_id: 'call_2', content: '{"temp":21}' },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":18}' },
    ]);
  });

  it('uses the ids Gemini clients send with calls and responses', () => {
    const request = toOpenAi({
      contents: [
        user('q'),
        { role: 'model', parts: [{ text: 'Let me check.' }, { functionCall: { id: 'fc-a', name: 'f', args: {} } }, { functionCall: { id: 'fc-b', name: 'f', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { id: 'fc-a', name: 'f', response: { r: 1 } } }, { text: 'thanks' }] },
      ],
    });
    expect(request.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [
          { id: 'fc-a', type: 'function', function: { name: 'f', arguments: '{}' } },
          { id: 'fc-b', type: 'function', function: { name: 'f', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'fc-a', content: '{"r":1}' },
      { role: 'user', content: 'thanks' },
    ]);
  });

  it('declares function tools with JSON Schema types, and built-in tools by their magic names', () => {
    const request = toOpenAi({
      contents: [user('q')],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Weather for a city',
              parameters: { type: 'OBJECT', properties: { city: { type: 'STRING', enum: ['OBJECT'] }, days: { type: 'ARRAY', items: { type: 'INTEGER' } } } },
            },
            { name: 'raw', parametersJsonSchema: { type: 'object', properties: { x: { type: ['string', 'null'] } } } },
            { name: 'now' },
          ],
        },
        { googleSearch: {} },
        { code_execution: {} },
      ],
    });
    expect(request.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string', enum: ['OBJECT'] }, days: { type: 'array', items: { type: 'integer' } } } },
        },
      },
      { type: 'function', function: { name: 'raw', parameters: { type: 'object', properties: { x: { type: ['string', 'null'] } } } } },
      { type: 'function', function: { name: 'now' } },
      { type: 'function', function: { name: 'googleSearch' } },
      { type: 'function', function: { name: 'codeExecution' } },
    ]);
  });

  it.each([
    [{ mode: 'AUTO' }, 'auto'],
    [{ mode: 'NONE' }, 'none'],
    [{ mode: 'ANY' }, 'required'],
    [{ mode: 'ANY', allowedFunctionNames: ['a', 'b'] }, 'required'],
    [{ mode: 'ANY', allowedFunctionNames: ['a'] }, { type: 'function', function: { name: 'a' } }],
  ])('maps functionCallingConfig %p', (functionCallingConfig, toolChoice) => {
    expect(toOpenAi({ contents: [user('q')], toolConfig: { functionCallingConfig } }).tool_choice).toEqual(toolChoice);
  });

  it('leaves tool_choice out for an unspecified mode', () => {
    expect(toOpenAi({ contents: [user('q')], toolConfig: { functionCallingConfig: { mode: 'MODE_UNSPECIFIED' } } })).not.toHaveProperty('tool_choice');
  });

  it('maps generationConfig fields', () => {
    const request = toOpenAi({
      contents: [user('q')],
      generationConfig: {
        maxOutputTokens: 256,
        temperature: 0.5,
        topP: 0.9,
        topK: 20,
        stopSequences: ['END'],
        candidateCount: 2,
        seed: 42,
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
        responseMimeType: 'application/json',
        thinkingConfig: { thinkingBudget: 4000, includeThoughts: true },
      },
    });
    expect(request).toEqual({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'q' }],
      max_tokens: 256,
      temperature: 0.5,
      top_p: 0.9,
      top_k: 20,
      stop: ['END'],
      n: 2,
      seed: 42,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      response_format: { type: 'json_object' },
      reasoning_effort: 'medium',
    });
  });

  it('turns a responseSchema into a json_schema response_format', () => {
    const request = toOpenAi({
      contents: [user('q')],
      generationConfig: { responseMimeType: 'application/json', responseSchema: { type: 'OBJECT', properties: { ok: { type: 'BOOLEAN' } } } },
    });
    expect(request.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } } });
  });

  it.each([
    [0, undefined],
    [512, 'low'],
    [1024, 'low'],
    [8192, 'medium'],
    [24576, 'high'],
    [-1, 'medium'],
  ])('maps thinkingBudget %d to reasoning_effort %p', (thinkingBudget, effort) => {
    expect(toOpenAi({ contents: [user('q')], generationConfig: { thinkingConfig: { thinkingBudget } } }).reasoning_effort).toBe(effort);
  });

  it('reads snake_case bodies exactly like camelCase ones', () => {
    const camel = {
      systemInstruction: { parts: [{ text: 'sys' }] },
      contents: [
        { role: 'user', parts: [{ text: 'look' }, { inlineData: { mimeType: 'image/png', data: 'iVBO' } }, { fileData: { mimeType: 'image/png', fileUri: 'gs://b/x.png' } }] },
        { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'f', response: { ok: true } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object', properties: { a: { type: 'number' } } } }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } },
      generationConfig: {
        maxOutputTokens: 10,
        topP: 0.5,
        topK: 3,
        stopSequences: ['x'],
        candidateCount: 1,
        presencePenalty: 0.5,
        frequencyPenalty: 0.5,
        responseMimeType: 'application/json',
        responseSchema: { type: 'OBJECT', properties: { a: { type: 'NUMBER' } } },
        thinkingConfig: { thinkingBudget: 30000 },
      },
    };
    const snake = {
      system_instruction: { parts: [{ text: 'sys' }] },
      contents: [
        { role: 'user', parts: [{ text: 'look' }, { inline_data: { mime_type: 'image/png', data: 'iVBO' } }, { file_data: { mime_type: 'image/png', file_uri: 'gs://b/x.png' } }] },
        { role: 'model', parts: [{ function_call: { name: 'f', args: { a: 1 } } }] },
        { role: 'user', parts: [{ function_response: { name: 'f', response: { ok: true } } }] },
      ],
      tools: [{ function_declarations: [{ name: 'f', parameters_json_schema: { type: 'object', properties: { a: { type: 'number' } } } }] }],
      tool_config: { function_calling_config: { mode: 'ANY', allowed_function_names: ['f'] } },
      generation_config: {
        max_output_tokens: 10,
        top_p: 0.5,
        top_k: 3,
        stop_sequences: ['x'],
        candidate_count: 1,
        presence_penalty: 0.5,
        frequency_penalty: 0.5,
        response_mime_type: 'application/json',
        response_schema: { type: 'OBJECT', properties: { a: { type: 'NUMBER' } } },
        thinking_config: { thinking_budget: 30000 },
      },
    };
    const fromCamel = toOpenAi(camel);
    expect(toOpenAi(snake)).toEqual(fromCamel);
    expect(fromCamel).toMatchObject({
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: [{ type: 'text' }, { type: 'image_url' }, { type: 'image_url', image_url: { url: 'gs://b/x.png' } }] },
        { role: 'assistant', tool_calls: [{ id: 'call_1' }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"ok":true}' },
      ],
      tool_choice: { type: 'function', function: { name: 'f' } },
      max_tokens: 10,
      top_k: 3,
      reasoning_effort: 'high',
      response_format: { type: 'json_schema' },
    });
  });
});
