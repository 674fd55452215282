import { ChannelType } from '@your-api/contracts';
import type { OpenAiChatRequest, UpstreamContext } from '@your-api/providers-core';
import { geminiUpstream } from './upstream';
import type { GeminiGenerateContentRequest } from './wire-types';

const PNG_DATA_URL = 'data:image/png;base64,iVBORw0KGgo=';

function context(overrides: Partial<UpstreamContext> = {}): UpstreamContext {
  return {
    channelType: ChannelType.Gemini,
    baseUrl: 'https://generativelanguage.googleapis.com',
    apiKey: 'test-key',
    upstreamModel: 'gemini-2.5-flash',
    stream: false,
    other: '',
    settings: {},
    ...overrides,
  };
}

function chat(overrides: Partial<OpenAiChatRequest> = {}): OpenAiChatRequest {
  return { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }], ...overrides };
}

/** The body the adapter would send, parsed back. */
function bodyOf(request: OpenAiChatRequest, ctx: UpstreamContext = context()): GeminiGenerateContentRequest {
  return JSON.parse(geminiUpstream.buildChatRequest(request, ctx).body) as GeminiGenerateContentRequest;
}

describe('geminiUpstream.buildChatRequest: URL and headers', () => {
  it('calls generateContent on v1beta with the key in x-goog-api-key', () => {
    const target = geminiUpstream.buildChatRequest(chat(), context());
    expect(target.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent');
    expect(target.headers).toEqual({ 'content-type': 'application/json', 'x-goog-api-key': 'test-key' });
  });

  it('streams with streamGenerateContent?alt=sse', () => {
    const target = geminiUpstream.buildChatRequest(chat(), context({ stream: true }));
    expect(target.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(bodyOf(chat(), context({ stream: true }))).not.toHaveProperty('stream');
  });

  it.each([
    ['v1', {}, 'v1'],
    ['v1alpha', { geminiVersion: 'v1' }, 'v1alpha'],
    ['', { geminiVersion: 'v1' }, 'v1'],
    ['not-a-version', {}, 'v1beta'],
    ['some-bot-id', { geminiVersion: 'v1alpha' }, 'v1alpha'],
  ])('takes the API version from other=%p, settings %p → %s', (other, settings, version) => {
    const target = geminiUpstream.buildChatRequest(chat(), context({ other, settings }));
    expect(target.url).toBe(`https://generativelanguage.googleapis.com/${version}/models/gemini-2.5-flash:generateContent`);
  });
});

describe('geminiUpstream.buildChatRequest: messages', () => {
  it('joins system and developer messages into systemInstruction', () => {
    const body = bodyOf(
      chat({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
          { role: 'user', content: 'Hello' },
        ],
      }),
    );
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.\nAnswer in French.' }] });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Hello' }] }]);
  });

  it('omits systemInstruction without system messages', () => {
    expect(bodyOf(chat())).not.toHaveProperty('systemInstruction');
  });

  it('maps assistant to model and merges consecutive turns of one role', () => {
    const body = bodyOf(
      chat({
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
          { role: 'assistant', content: 'c' },
          { role: 'user', content: 'd' },
        ],
      }),
    );
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
      { role: 'model', parts: [{ text: 'c' }] },
      { role: 'user', parts: [{ text: 'd' }] },
    ]);
  });

  it('turns tool calls into functionCall parts and tool replies into functionResponse parts by name', () => {
    const body = bodyOf(
      chat({
        messages: [
          { role: 'user', content: 'Weather and time in Paris?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_t', type: 'function', function: { name: 'get_time', arguments: 'not json' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_w', content: '18°C' },
          { role: 'tool', tool_call_id: 'call_t', content: [{ type: 'text', text: '14:00' }] },
        ],
      }),
    );
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather and time in Paris?' }] },
      {
        role: 'model',
        parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }, { functionCall: { name: 'get_time', args: {} } }],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { name: 'get_weather', content: '18°C' } } },
          { functionResponse: { name: 'get_time', response: { name: 'get_time', content: '14:00' } } },
        ],
      },
    ]);
  });

  it('keeps assistant text before its function calls', () => {
    const body = bodyOf(
      chat({
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        ],
      }),
    );
    expect(body.contents[1]).toEqual({ role: 'model', parts: [{ text: 'Checking.' }, { functionCall: { name: 'f', args: {} } }] });
  });

  it('converts data-URL images to inlineData and web URLs to fileData with a guessed type', () => {
    const body = bodyOf(
      chat({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare' },
              { type: 'image_url', image_url: { url: PNG_DATA_URL } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.webp?size=large' } },
              { type: 'image_url', image_url: { url: 'https://example.com/photo' } },
            ],
          },
        ],
      }),
    );
    expect(body.contents[0].parts).toEqual([
      { text: 'Compare' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { fileUri: 'https://example.com/cat.webp?size=large', mimeType: 'image/webp' } },
      { fileData: { fileUri: 'https://example.com/photo', mimeType: 'image/jpeg' } },
    ]);
  });

  it('keeps at most GEMINI_VISION_MAX_IMAGE_NUM images across the conversation', () => {
    const image = { type: 'image_url' as const, image_url: { url: PNG_DATA_URL } };
    const request = chat({
      messages: [
        { role: 'user', content: [image, image] },
        { role: 'assistant', content: 'seen' },
        { role: 'user', content: [{ type: 'text', text: 'and' }, image] },
      ],
    });
    const countImages = (body: GeminiGenerateContentRequest) => body.contents.flatMap((c) => c.parts).filter((p) => p.inlineData).length;
    expect(countImages(bodyOf(request, context({ settings: { geminiVisionMaxImageNum: 2 } })))).toBe(2);
    expect(countImages(bodyOf(request, context({ settings: { geminiVisionMaxImageNum: -1 } })))).toBe(3);
    expect(countImages(bodyOf(request))).toBe(3);
    // The limit keeps the first images; the last user turn is left with its text only.
    expect(bodyOf(request, context({ settings: { geminiVisionMaxImageNum: 2 } })).contents[2]).toEqual({ role: 'user', parts: [{ text: 'and' }] });
  });

  it('drops a turn whose only image was over the limit', () => {
    const body = bodyOf(
      chat({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: PNG_DATA_URL } }] }] }),
      context({ settings: { geminiVisionMaxImageNum: 0 } }),
    );
    expect(body.contents).toEqual([]);
  });

  it('sends audio and data-URL files as inlineData, and skips file ids', () => {
    const body = bodyOf(
      chat({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
              { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
              { type: 'file', file: { file_id: 'file-123' } },
            ],
          },
        ],
      }),
    );
    expect(body.contents[0].parts).toEqual([
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
    ]);
  });
});

describe('geminiUpstream.buildChatRequest: tools', () => {
  const weatherTool = {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      description: 'Weather for a city',
      strict: true,
      parameters: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        additionalProperties: false,
        properties: {
          city: { type: 'string' },
          strict: { type: 'boolean', description: 'a property that happens to be named strict' },
          options: { type: 'object', properties: {}, additionalProperties: false },
          days: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { n: { type: 'integer' } } } },
        },
        required: ['city'],
      },
    },
  };

  it('declares functions with cleaned parameters, at every depth', () => {
    const body = bodyOf(chat({ tools: [weatherTool] }));
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: {
              type: 'object',
              properties: {
                city: { type: 'string' },
                strict: { type: 'boolean', description: 'a property that happens to be named strict' },
                options: { type: 'object' },
                days: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } } } },
              },
              required: ['city'],
            },
          },
        ],
      },
    ]);
  });

  it('omits parameters of a function that takes none', () => {
    const body = bodyOf(chat({ tools: [{ type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } }] }));
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'now' }] }]);
  });

  it('turns the magic names googleSearch and codeExecution into built-in tools', () => {
    const body = bodyOf(
      chat({
        tools: [
          { type: 'function', function: { name: 'googleSearch' } },
          weatherTool,
          { type: 'function', function: { name: 'codeExecution' } },
        ],
      }),
    );
    expect(body.tools).toHaveLength(3);
    expect(body.tools?.[1]).toEqual({ googleSearch: {} });
    expect(body.tools?.[2]).toEqual({ codeExecution: {} });
  });

  it('sends only built-in tools, without a toolConfig, when no function is declared', () => {
    const body = bodyOf(chat({ tools: [{ type: 'function', function: { name: 'googleSearch' } }], tool_choice: 'auto' }));
    expect(body.tools).toEqual([{ googleSearch: {} }]);
    expect(body).not.toHaveProperty('toolConfig');
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [{ type: 'function' as const, function: { name: 'get_weather' } }, { mode: 'ANY', allowedFunctionNames: ['get_weather'] }],
  ] as const)('maps tool_choice %p', (toolChoice, functionCallingConfig) => {
    const body = bodyOf(chat({ tools: [weatherTool], tool_choice: toolChoice }));
    expect(body.toolConfig).toEqual({ functionCallingConfig });
  });

  it('sends no tools or toolConfig when the request has none', () => {
    const body = bodyOf(chat());
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('toolConfig');
  });
});

describe('geminiUpstream.buildChatRequest: generation settings', () => {
  it('maps sampling parameters into generationConfig', () => {
    const body = bodyOf(
      chat({ max_tokens: 100, temperature: 0.2, top_p: 0.9, top_k: 40, stop: 'END', n: 2, seed: 7, presence_penalty: 0.1, frequency_penalty: 0.3 }),
    );
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.3,
    });
  });

  it('prefers max_completion_tokens and keeps stop lists', () => {
    const body = bodyOf(chat({ max_tokens: 100, max_completion_tokens: 300, stop: ['a', 'b'] }));
    expect(body.generationConfig).toEqual({ maxOutputTokens: 300, stopSequences: ['a', 'b'] });
  });

  it('sends no generationConfig when nothing is set', () => {
    expect(bodyOf(chat())).not.toHaveProperty('generationConfig');
  });

  it('asks for JSON on json_object', () => {
    const body = bodyOf(chat({ response_format: { type: 'json_object' } }));
    expect(body.generationConfig).toEqual({ responseMimeType: 'application/json' });
  });

  it('sends a cleaned responseSchema on json_schema', () => {
    const body = bodyOf(
      chat({
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'r', strict: true, schema: { type: 'object', additionalProperties: false, properties: { ok: { type: 'boolean' } } } },
        },
      }),
    );
    expect(body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
    });
  });

  it('ignores response_format text', () => {
    expect(bodyOf(chat({ response_format: { type: 'text' } }))).not.toHaveProperty('generationConfig');
  });

  it.each([
    ['low', 1024],
    ['medium', 8192],
    ['high', 24576],
  ])('turns reasoning_effort %s into a thinking budget of %d', (effort, budget) => {
    const body = bodyOf(chat({ reasoning_effort: effort }));
    expect(body.generationConfig?.thinkingConfig).toEqual({ thinkingBudget: budget, includeThoughts: true });
  });

  it('sends no thinkingConfig for an effort it does not know', () => {
    expect(bodyOf(chat({ reasoning_effort: 'extreme' }))).not.toHaveProperty('generationConfig');
  });

  it('sets every harm category to BLOCK_NONE by default, or to the configured threshold', () => {
    const categories = [
      'HARM_CATEGORY_HARASSMENT',
      'HARM_CATEGORY_HATE_SPEECH',
      'HARM_CATEGORY_SEXUALLY_EXPLICIT',
      'HARM_CATEGORY_DANGEROUS_CONTENT',
      'HARM_CATEGORY_CIVIC_INTEGRITY',
    ];
    expect(bodyOf(chat()).safetySettings).toEqual(categories.map((category) => ({ category, threshold: 'BLOCK_NONE' })));
    expect(bodyOf(chat(), context({ settings: { geminiSafetySetting: 'OFF' } })).safetySettings).toEqual(
      categories.map((category) => ({ category, threshold: 'OFF' })),
    );
  });
});
