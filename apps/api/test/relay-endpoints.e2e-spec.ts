import OpenAI, { toFile } from 'openai';
import { DEFAULT_MODEL_PRICE, DEFAULT_MODEL_RATIO } from '@your-api/billing-math';
import { FakeOpenAi, startFakeOpenAi } from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, setOption, waitForLogs } from './relay-fixtures';

/**
 * The OpenAI endpoints besides chat: responses, images (generations and multipart edits),
 * audio (speech bytes, multipart transcriptions), moderations and rerank, through the official
 * SDK (or plain HTTP for rerank), each forwarded as sent and billed as newapi-reference §3 says.
 */
describe('relay: responses, images, audio, moderations, rerank', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let fake: FakeOpenAi;
  let jina: FakeOpenAi;
  let key: string;
  let client: OpenAI;

  beforeAll(async () => {
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    [fake, jina] = await Promise.all([startFakeOpenAi(), startFakeOpenAi()]);
    await setOption(root, 'ModelPrice', JSON.stringify({ ...DEFAULT_MODEL_PRICE, 'dall-e-2': 0.02 }));
    await setOption(root, 'ModelRatio', JSON.stringify({ ...DEFAULT_MODEL_RATIO, 'omni-moderation-latest': 0.1, 'jina-reranker-v2-base-multilingual': 0.01 }));
    await createChannel(root, { base_url: fake.url, models: 'gpt-4o,dall-e-3,dall-e-2,tts-1,whisper-1,omni-moderation-latest' });
    await createChannel(root, { type: 38, base_url: jina.url, models: 'jina-reranker-v2-base-multilingual' });
    key = (await createToken(root, { name: 'endpoints' })).key;
    client = new OpenAI({ apiKey: key, baseURL: `${api.baseUrl}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await api?.stop();
    await Promise.all([fake?.close(), jina?.close()]);
  });

  beforeEach(() => fake.behave({}));

  it('relays a Responses API call and bills its input/output usage', async () => {
    fake.behave({ reply: 'responses hello', promptTokens: 30, completionTokens: 11 });
    const response = await client.responses.create({ model: 'gpt-4o', input: 'Say hello', max_output_tokens: 100 });
    expect(response.output_text).toBe('responses hello');
    expect(fake.requests.at(-1)!.path).toBe('/v1/responses');
    // gpt-4o: (30 + 11 × 4) × 1.25 = 92.5 → 93
    const rows = await waitForLogs(root, 'type=2&model_name=gpt-4o', (r) => r.some((row) => row.prompt_tokens === 30));
    const row = rows.find((r) => r.prompt_tokens === 30)!;
    expect(row.quota).toBe(93);
    expect(JSON.parse(row.other).request_path).toBe('/v1/responses');
  });

  it('streams Responses API events untouched and bills the usage of response.completed', async () => {
    fake.behave({ reply: 'streamed responses text', chunkSize: 4, promptTokens: 31, completionTokens: 6 });
    const stream = await client.responses.create({ model: 'gpt-4o', input: 'go', stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(text).toBe('streamed responses text');
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types.filter((t) => t === 'response.output_text.delta')).toHaveLength(6);
    const rows = await waitForLogs(root, 'type=2&model_name=gpt-4o', (r) => r.some((row) => row.prompt_tokens === 31));
    const row = rows.find((r) => r.prompt_tokens === 31)!;
    expect(row.is_stream).toBe(true);
    expect(row.completion_tokens).toBe(6);
  });

  it('prices image generation per call with size, quality and n (newapi-reference §3.4: 60000)', async () => {
    const images = await client.images.generate({ model: 'dall-e-3', prompt: 'a cat', size: '1024x1792', quality: 'hd', n: 1 });
    expect(images.data).toHaveLength(1);
    const rows = await waitForLogs(root, 'type=2&model_name=dall-e-3', (r) => r.length > 0);
    expect(rows[0].quota).toBe(60000);
    expect(JSON.parse(rows[0].other).other_ratios).toEqual({ n: 1, image_size: 3 });
    await expect(client.images.generate({ model: 'dall-e-3', prompt: 'a cat', size: '256x256' })).rejects.toMatchObject({
      status: 400,
      error: { code: 'request/invalid-size' },
    });
  });

  it('forwards a multipart image edit as sent and bills n images', async () => {
    const image = await toFile(Buffer.from('\x89PNG fake image bytes'), 'cat.png', { type: 'image/png' });
    const edited = await client.images.edit({ model: 'dall-e-2', image, prompt: 'add a hat', n: 2, size: '512x512' });
    expect(edited.data).toHaveLength(2);
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe('/v1/images/edits');
    expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent.rawBody).toContain('fake image bytes');
    expect(sent.rawBody).toContain('add a hat');
    // 0.02 × 500000 × n 2 × size 0.45 = 9000
    const rows = await waitForLogs(root, 'type=2&model_name=dall-e-2', (r) => r.length > 0);
    expect(rows[0].quota).toBe(9000);
  });

  it('pipes speech audio bytes and bills the characters of the input', async () => {
    const speech = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello world' });
    expect(speech.headers.get('content-type')).toBe('audio/mpeg');
    const audio = Buffer.from(await speech.arrayBuffer());
    expect(audio.length).toBe(64 * 1024);
    expect(audio.every((b) => b === 7)).toBe(true);
    const rows = await waitForLogs(root, 'type=2&model_name=tts-1', (r) => r.length > 0);
    // tts-1: ratio 7.5 on 11 characters → 82.5 → 83
    expect(rows[0].prompt_tokens).toBe(11);
    expect(rows[0].quota).toBe(83);
  });

  it('relays transcriptions: usage when reported, 1000 tokens a minute from the duration otherwise', async () => {
    const file = await toFile(Buffer.from('ID3 fake audio'), 'talk.mp3', { type: 'audio/mpeg' });
    fake.behave({ reply: 'transcribed words', promptTokens: 40, completionTokens: 5 });
    const transcript = await client.audio.transcriptions.create({ model: 'whisper-1', file });
    expect(transcript.text).toBe('transcribed words');
    const verbose = await client.audio.transcriptions.create({
      model: 'whisper-1',
      file: await toFile(Buffer.from('ID3 fake audio'), 'talk.mp3'),
      response_format: 'verbose_json',
    });
    expect(verbose.text).toBe('transcribed words');
    const text = await client.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(Buffer.from('x'), 't.mp3'), response_format: 'text' });
    expect(text).toBe('transcribed words');
    const rows = await waitForLogs(root, 'type=2&model_name=whisper-1', (r) => r.length >= 3);
    const prompts = rows.map((r) => r.prompt_tokens).sort((a, b) => a - b);
    // text format: no usage and no duration → 0 prompt, transcript counted; json: 40 from usage; 90.2 s → ceil(91 / 60 × 1000) = 1517
    expect(prompts).toEqual([0, 40, 1517]);
  });

  it('fills in the default moderation model and relays the result', async () => {
    const moderation = await client.moderations.create({ input: 'some text to check' });
    expect(moderation.results[0].flagged).toBe(false);
    expect(fake.requests.at(-1)!.body.model).toBe('omni-moderation-latest');
    await waitForLogs(root, 'type=2&model_name=omni-moderation-latest', (r) => r.length > 0);
  });

  it('counts image prompt tokens with the tile formula when the upstream reports no usage (GET_MEDIA_TOKEN)', async () => {
    // A PNG header is all the measuring reads: 1024×1024 → 768×768 → 4 tiles → 85 + 170 × 4 = 765 tokens.
    const png = Buffer.alloc(33);
    Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').copy(png, 0);
    png.writeUInt32BE(1024, 16);
    png.writeUInt32BE(1024, 20);
    png[24] = 8;
    png[25] = 6;
    const url = `data:image/png;base64,${png.toString('base64')}`;
    for (const detail of ['high', 'low'] as const) {
      fake.behave({ reply: `${detail} detail reply`, usage: false });
      await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url, detail } }] }],
      });
    }
    const counted = <T extends { content: string }>(rows: T[]): T[] => rows.filter((row) => row.content.includes('counted locally'));
    const rows = counted(await waitForLogs(root, 'type=2&model_name=gpt-4o', (r) => counted(r).length >= 2)).sort((a, b) => b.prompt_tokens - a.prompt_tokens);
    expect(rows[0].prompt_tokens - rows[1].prompt_tokens).toBe(765 - 85);
  });

  it('relays rerank to a Jina channel and bills its total_tokens', async () => {
    jina.behave({ promptTokens: 321 });
    const reply = await fetch(`${api.baseUrl}/v1/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'jina-reranker-v2-base-multilingual', query: 'cats', documents: ['about cats', 'about dogs'], top_n: 2 }),
    });
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as { results: { index: number; relevance_score: number }[] };
    expect(body.results.map((r) => r.index)).toEqual([0, 1]);
    expect(jina.requests.at(-1)!.path).toBe('/v1/rerank');
    const rows = await waitForLogs(root, 'type=2&model_name=jina-reranker-v2-base-multilingual', (r) => r.length > 0);
    expect(rows[0].prompt_tokens).toBe(321);
    const missing = await fetch(`${api.baseUrl}/v1/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'jina-reranker-v2-base-multilingual', query: 'cats' }),
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/documents/);
  });
});
