import { generateKeyPairSync } from 'node:crypto';
import OpenAI from 'openai';
import { FakeBedrock, FakeVertex, startFakeBedrock, startFakeVertex } from '@your-api/testing';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, createToken, waitForLogs } from './relay-fixtures';

const PROJECT = 'relay-test-project';
const CLIENT_EMAIL = 'relay@relay-test-project.iam.gserviceaccount.com';
const AWS_KEY = { accessKeyId: 'AKIDRELAYTEST', secretAccessKey: 'bedrock-secret-access-key-for-tests', region: 'us-east-1' };

/**
 * Cloud-hosted models through the OpenAI SDK: Gemini and Claude on Vertex AI (service-account key,
 * JWT exchanged for an access token at the key's token_uri) and Claude on AWS Bedrock (SigV4,
 * streams in AWS event-stream frames). The fakes verify the JWT signature and re-compute the
 * SigV4 signature, so a request with wrong credentials cannot pass.
 */
describe('relay: Vertex AI and AWS Bedrock upstreams', () => {
  let api: RunningApi;
  let root: ManagementClient;
  let vertex: FakeVertex;
  let bedrock: FakeBedrock;
  let openai: OpenAI;
  let privateKeyPem: string;

  beforeAll(async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    [vertex, bedrock] = await Promise.all([
      startFakeVertex({ publicKey: pair.publicKey, clientEmail: CLIENT_EMAIL, projectId: PROJECT }),
      startFakeBedrock(AWS_KEY),
    ]);
    api = await startApi({ env: { BATCH_UPDATE_ENABLED: 'false' } });
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
    const serviceAccount = {
      type: 'service_account',
      project_id: PROJECT,
      private_key_id: 'test-key-id',
      private_key: privateKeyPem,
      client_email: CLIENT_EMAIL,
      token_uri: vertex.tokenUri,
    };
    await createChannel(root, {
      name: 'vertex',
      type: 41,
      key: JSON.stringify(serviceAccount),
      base_url: vertex.url,
      // Per-model regions, as New API reads them from the channel's `other`.
      other: JSON.stringify({ 'claude-3-5-haiku-20241022': 'us-east5', default: 'us-central1' }),
      models: 'gemini-2.5-flash,claude-3-5-haiku-20241022',
    });
    // A service account whose key is not the one Google knows: its assertions fail verification.
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await createChannel(root, {
      name: 'vertex with a revoked key',
      type: 41,
      key: JSON.stringify({ ...serviceAccount, private_key: stranger }),
      base_url: vertex.url,
      other: 'us-central1',
      models: 'gemini-2.0-flash',
    });
    await createChannel(root, {
      name: 'bedrock',
      type: 33,
      key: `${AWS_KEY.accessKeyId}|${AWS_KEY.secretAccessKey}|${AWS_KEY.region}`,
      base_url: bedrock.url,
      models: 'claude-3-5-sonnet-20241022',
    });
    await createChannel(root, {
      name: 'bedrock with a wrong secret',
      type: 33,
      key: `${AWS_KEY.accessKeyId}|not-the-secret|${AWS_KEY.region}`,
      base_url: bedrock.url,
      models: 'claude-3-haiku-20240307',
    });
    const key = (await createToken(root, { name: 'cloud' })).key;
    openai = new OpenAI({ apiKey: key, baseURL: `${api.baseUrl}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await api?.stop();
    await Promise.all([vertex?.close(), bedrock?.close()]);
  });

  beforeEach(() => {
    vertex.behave({});
    bedrock.behave({});
  });

  describe('Vertex AI', () => {
    it('serves a Gemini model with an access token from the signed service-account JWT, and bills it', async () => {
      vertex.behave({ reply: 'hello from vertex gemini', promptTokens: 100, completionTokens: 12 });
      const completion = await openai.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.choices[0].message.content).toBe('hello from vertex gemini');
      expect(completion.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 12 });

      const [token] = vertex.tokenRequests;
      expect(vertex.refusedTokenRequests).toEqual([]);
      expect(token.header).toMatchObject({ alg: 'RS256', kid: 'test-key-id' });
      expect(token.claims).toMatchObject({ iss: CLIENT_EMAIL, aud: vertex.tokenUri, scope: 'https://www.googleapis.com/auth/cloud-platform' });
      const sent = vertex.requests.at(-1)!;
      expect(sent.path).toBe(`/v1/projects/${PROJECT}/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent`);
      expect(sent.headers.authorization).toBe(`Bearer ${token.issuedToken}`);
      expect(sent.headers['x-goog-user-project']).toBe(PROJECT);
      expect(sent.body.contents).toEqual([{ role: 'user', parts: [{ text: 'hi' }] }]);

      // gemini-2.5-flash: ratio 0.15, completion ratio 2.5 / 0.3 → (100 + 12 × 25/3) × 0.15 = 30
      const rows = await waitForLogs(root, 'type=2&model_name=gemini-2.5-flash', (r) => r.some((row) => row.prompt_tokens === 100));
      const row = rows.find((r) => r.prompt_tokens === 100)!;
      expect(row.quota).toBe(30);
      expect(row.completion_tokens).toBe(12);
    });

    it('streams a Gemini model through streamGenerateContent?alt=sse, reusing the cached token', async () => {
      vertex.behave({ reply: 'streamed vertex gemini', promptTokens: 7, completionTokens: 3 });
      const stream = await openai.chat.completions.create({
        model: 'gemini-2.5-flash',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'stream please' }],
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('streamed vertex gemini');
      expect(usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 3 });
      expect(vertex.requests.at(-1)!.path).toBe(
        `/v1/projects/${PROJECT}/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
      );
      // Two requests so far, one token exchange: the token is cached for the channel's key.
      expect(vertex.requests).toHaveLength(2);
      expect(vertex.tokenRequests).toHaveLength(1);
      expect(vertex.requests.every((request) => request.headers.authorization === `Bearer ${vertex.tokenRequests[0].issuedToken}`)).toBe(true);
    });

    it("serves a Claude model from the anthropic publisher in the model's own region, and bills it", async () => {
      vertex.behave({ reply: 'hello from vertex claude', promptTokens: 20, completionTokens: 8 });
      const completion = await openai.chat.completions.create({
        model: 'claude-3-5-haiku-20241022',
        max_tokens: 100,
        messages: [
          { role: 'system', content: 'Be brief' },
          { role: 'user', content: 'hi' },
        ],
      });
      expect(completion.choices[0].message.content).toBe('hello from vertex claude');
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 8 });
      const sent = vertex.requests.at(-1)!;
      expect(sent.path).toBe(`/v1/projects/${PROJECT}/locations/us-east5/publishers/anthropic/models/claude-3-5-haiku@20241022:rawPredict`);
      expect(sent.headers.authorization).toBe(`Bearer ${vertex.tokenRequests[0].issuedToken}`);
      expect(sent.body).toEqual({
        anthropic_version: 'vertex-2023-10-16',
        system: 'Be brief',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
        max_tokens: 100,
      });
      // claude-3-5-haiku: ratio 0.5, completion ratio 5 → (20 + 8 × 5) × 0.5 = 30
      const rows = await waitForLogs(root, 'type=2&model_name=claude-3-5-haiku-20241022', (r) => r.some((row) => row.prompt_tokens === 20));
      expect(rows.find((r) => r.prompt_tokens === 20)!.quota).toBe(30);
      expect(vertex.tokenRequests).toHaveLength(1);
    });

    it('streams a Claude model through streamRawPredict', async () => {
      vertex.behave({ reply: 'streamed vertex claude', promptTokens: 14, completionTokens: 6 });
      const stream = await openai.chat.completions.create({
        model: 'claude-3-5-haiku-20241022',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'stream' }],
      });
      let text = '';
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('streamed vertex claude');
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 6 });
      const sent = vertex.requests.at(-1)!;
      expect(sent.path).toBe(`/v1/projects/${PROJECT}/locations/us-east5/publishers/anthropic/models/claude-3-5-haiku@20241022:streamRawPredict`);
      expect(sent.body).toMatchObject({ anthropic_version: 'vertex-2023-10-16', stream: true });
      const rows = await waitForLogs(root, 'type=2&model_name=claude-3-5-haiku-20241022', (r) => r.some((row) => row.prompt_tokens === 14));
      const row = rows.find((r) => r.prompt_tokens === 14)!;
      expect(row.is_stream).toBe(true);
      expect(row.completion_tokens).toBe(6);
    });

    it('answers a refused service account as a channel credential failure, without sending the model request', async () => {
      const before = vertex.requests.length;
      const refusedBefore = vertex.refusedTokenRequests.length;
      const error = await openai.chat.completions.create({ model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      expect((error as InstanceType<typeof OpenAI.APIError>).message).toMatch(/credentials of the channel/);
      expect(vertex.refusedTokenRequests.slice(refusedBefore)).toEqual(['signature']);
      expect(vertex.requests).toHaveLength(before);
    });
  });

  describe('AWS Bedrock', () => {
    it('invokes Claude with a SigV4-signed request on the cross-region model id, and bills it', async () => {
      bedrock.behave({ reply: 'hello from bedrock', inputTokens: 12, outputTokens: 6 });
      const completion = await openai.chat.completions.create({
        model: 'claude-3-5-sonnet-20241022',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(completion.choices[0].message.content).toBe('hello from bedrock');
      expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 6 });
      expect(bedrock.refused).toEqual([]);
      const sent = bedrock.requests.at(-1)!;
      expect(sent.path).toBe('/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/invoke');
      expect(sent.operation).toBe('invoke');
      expect(sent.signedHeaders).toEqual(expect.arrayContaining(['host', 'content-type', 'x-amz-date', 'x-amz-content-sha256']));
      expect(sent.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDRELAYTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
      expect(sent.body).toEqual({
        anthropic_version: 'bedrock-2023-05-31',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
        max_tokens: 64,
      });
      // claude-3-5-sonnet: ratio 1.5, completion ratio 5 → (12 + 6 × 5) × 1.5 = 63
      const rows = await waitForLogs(root, 'type=2&model_name=claude-3-5-sonnet-20241022', (r) => r.some((row) => row.prompt_tokens === 12));
      expect(rows.find((r) => r.prompt_tokens === 12)!.quota).toBe(63);
    });

    it('streams Claude events out of AWS event-stream frames', async () => {
      bedrock.behave({ reply: 'streamed from bedrock', inputTokens: 15, outputTokens: 9 });
      const stream = await openai.chat.completions.create({
        model: 'claude-3-5-sonnet-20241022',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'stream' }],
      });
      const deltas: string[] = [];
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta?.content;
        if (content) deltas.push(content);
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(deltas.join('')).toBe('streamed from bedrock');
      expect(deltas.length).toBe(2);
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ prompt_tokens: 15, completion_tokens: 9 });
      expect(bedrock.refused).toEqual([]);
      const sent = bedrock.requests.at(-1)!;
      expect(sent.path).toBe('/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/invoke-with-response-stream');
      expect(sent.headers.accept).toBe('application/vnd.amazon.eventstream');
      const rows = await waitForLogs(root, 'type=2&model_name=claude-3-5-sonnet-20241022', (r) => r.some((row) => row.prompt_tokens === 15));
      const row = rows.find((r) => r.prompt_tokens === 15)!;
      expect(row.is_stream).toBe(true);
      expect(row.completion_tokens).toBe(9);
      // (15 + 9 × 5) × 1.5 = 90
      expect(row.quota).toBe(90);
    });

    it('passes an exception inside the event stream on as a stream error', async () => {
      bedrock.behave({ streamException: { type: 'throttlingException', message: 'Too many requests, please wait before trying again.' } });
      const stream = await openai.chat.completions.create({ model: 'claude-3-5-sonnet-20241022', stream: true, messages: [{ role: 'user', content: 'x' }] });
      const consume = async () => {
        for await (const chunk of stream) void chunk;
      };
      await expect(consume()).rejects.toThrow(/Too many requests/);
    });

    it('is refused by Bedrock when signed with the wrong secret, and the client hears of a channel credential failure', async () => {
      const before = bedrock.requests.length;
      const error = await openai.chat.completions.create({ model: 'claude-3-haiku-20240307', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      expect(bedrock.refused.at(-1)).toBe('signature mismatch');
      expect(bedrock.requests).toHaveLength(before);
    });
  });

  it('never writes channel secrets or access tokens to the log output', () => {
    expect(vertex.tokenRequests.length).toBeGreaterThan(0); // runs after the requests above
    const output = api.output();
    expect(output).not.toContain(AWS_KEY.secretAccessKey);
    expect(output).not.toContain(privateKeyPem.split('\n')[1]);
    for (const token of vertex.tokenRequests) expect(output).not.toContain(token.issuedToken);
  });
});
