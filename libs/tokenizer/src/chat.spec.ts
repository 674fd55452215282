import {
  ChatMessage,
  FILE_PART_TOKENS,
  INPUT_AUDIO_PART_TOKENS,
  countChatPromptTokens,
  countTextTokens,
  countToolsTokens,
  imageTokens,
} from './index';

/** The OpenAI cookbook's `num_tokens_from_messages` example, with its API-verified counts. */
const COOKBOOK: ChatMessage[] = [
  {
    role: 'system',
    content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.',
  },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  {
    role: 'system',
    name: 'example_user',
    content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  {
    role: 'system',
    name: 'example_assistant',
    content: "Let's talk later when we're less busy about how to do better.",
  },
  {
    role: 'user',
    content: "This late pivot means we don't have time to boil the ocean for the client deliverable.",
  },
];

describe('countChatPromptTokens: message overhead (protocols §10.2)', () => {
  it.each([
    ['gpt-3.5-turbo-0613', 129],
    ['gpt-4-0613', 129],
    ['gpt-4', 129],
    ['gpt-4o', 124],
    ['gpt-4o-mini', 124],
    ['gpt-3.5-turbo-0301', 127],
  ])('cookbook example on %s = %d', (model, n) => {
    expect(countChatPromptTokens(model, COOKBOOK)).toBe(n);
  });

  it('no messages still costs the 3-token reply primer', () => {
    expect(countChatPromptTokens('gpt-4o', [])).toBe(3);
  });

  it('3 per message + role + content, +1 + name', () => {
    const t = (s: string) => countTextTokens('gpt-4o', s);
    expect(countChatPromptTokens('gpt-4o', [{ role: 'user', content: 'Hi there' }])).toBe(3 + t('user') + t('Hi there') + 3);
    expect(countChatPromptTokens('gpt-4o', [{ role: 'user', name: 'bob', content: 'Hi there' }])).toBe(
      3 + t('user') + t('Hi there') + 1 + t('bob') + 3,
    );
  });

  it('null/absent content counts nothing', () => {
    const t = (s: string) => countTextTokens('gpt-4', s);
    expect(countChatPromptTokens('gpt-4', [{ role: 'assistant', content: null }])).toBe(3 + t('assistant') + 3);
  });
});

describe('countChatPromptTokens: content arrays', () => {
  const model = 'gpt-4o';
  const t = (s: string) => countTextTokens(model, s);
  const frame = 3 + t('user') + 3;

  it('text parts are counted like string content', () => {
    expect(
      countChatPromptTokens(model, [
        { role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'text', text: ' this picture.' }] },
      ]),
    ).toBe(frame + t('Describe') + t(' this picture.'));
  });

  it('images: flat 3 × 85 unless measured; low detail 85', () => {
    const img = (detail?: string): ChatMessage => ({
      role: 'user',
      content: [{ type: 'image_url', image_url: { url: 'https://x/img.png', detail } }],
    });
    expect(countChatPromptTokens(model, [img()])).toBe(frame + 255);
    expect(countChatPromptTokens(model, [img('high')])).toBe(frame + 255);
    expect(countChatPromptTokens(model, [img('low')])).toBe(frame + 85);
    expect(
      countChatPromptTokens(model, [{ role: 'user', content: [{ type: 'image_url', image_url: 'https://x/bare.png' }] }]),
    ).toBe(frame + 255);
  });

  it('images with measureImages use the tile formula and caller-supplied sizes', () => {
    const sizes: Record<string, { width: number; height: number }> = {
      'https://x/square.png': { width: 1024, height: 1024 },
      'https://x/tall.png': { width: 2048, height: 4096 },
    };
    const opts = { measureImages: true, imageSize: (url: string) => sizes[url] };
    const msg = (url: string): ChatMessage => ({ role: 'user', content: [{ type: 'image_url', image_url: { url, detail: 'auto' } }] });
    expect(countChatPromptTokens(model, [msg('https://x/square.png')], opts)).toBe(frame + 765);
    expect(countChatPromptTokens(model, [msg('https://x/tall.png')], opts)).toBe(frame + 1105);
    expect(countChatPromptTokens(model, [msg('https://x/unknown.png')], opts)).toBe(frame + 255);
  });

  it('gpt-4o-mini images use the 2833/5667 costs', () => {
    const mini = 'gpt-4o-mini';
    const miniFrame = 3 + countTextTokens(mini, 'user') + 3;
    const m: ChatMessage = { role: 'user', content: [{ type: 'image_url', image_url: { url: 'u' } }] };
    expect(countChatPromptTokens(mini, [m])).toBe(miniFrame + 3 * 2833);
    expect(imageTokens('high', 1024, 1024, mini)).toBe(2833 + 4 * 5667);
  });

  it('audio +100, file +5000, unknown text-like parts by their text', () => {
    expect(
      countChatPromptTokens(model, [
        {
          role: 'user',
          content: [
            { type: 'input_audio' },
            { type: 'file' },
            { type: 'input_text', text: 'hello' },
            { type: 'something_else' },
          ],
        },
      ]),
    ).toBe(frame + INPUT_AUDIO_PART_TOKENS + FILE_PART_TOKENS + t('hello'));
  });
});

describe('countChatPromptTokens: tool calls', () => {
  it("counts assistant tool calls' JSON and the tool message's id", () => {
    const model = 'gpt-4o';
    const t = (s: string) => countTextTokens(model, s);
    const toolCalls = [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }];
    const messages: ChatMessage[] = [
      { role: 'assistant', content: null, tool_calls: toolCalls },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
    ];
    const expected = 3 + t('assistant') + t(JSON.stringify(toolCalls)) + 3 + t('tool') + t('call_1') + t('{"temp":21}') + 3;
    expect(countChatPromptTokens(model, messages)).toBe(expected);
  });

  it('counts legacy function_call', () => {
    const fc = { name: 'f', arguments: '{}' };
    const base = countChatPromptTokens('gpt-4', [{ role: 'assistant', content: null }]);
    expect(countChatPromptTokens('gpt-4', [{ role: 'assistant', content: null, function_call: fc }])).toBe(
      base + countTextTokens('gpt-4', JSON.stringify(fc)),
    );
  });

  it('tool definitions: name + description + JSON params, +8 once', () => {
    const model = 'gpt-4o';
    const params = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const tools = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: params } },
      { type: 'function', function: { name: 'noop' } },
    ];
    expect(countToolsTokens(model, tools)).toBe(
      8 + countTextTokens(model, `get_weatherWeather for a city${JSON.stringify(params)}`) + countTextTokens(model, 'noop'),
    );
    expect(countToolsTokens(model, [])).toBe(0);
    expect(countToolsTokens(model, undefined)).toBe(0);
  });
});
