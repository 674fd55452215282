import type { PricingResponse } from '@your-api/contracts';
import { RunningApi, startApi } from './harness';
import { ManagementClient } from './management-client';
import { createChannel, setOption } from './relay-fixtures';

/** GET /api/pricing: the model marketplace built from enabled channels and the ratio options. */
describe('pricing: GET /api/pricing', () => {
  let api: RunningApi;
  let root: ManagementClient;

  const fetchPricing = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`${api.baseUrl}/api/pricing`, { headers });
    return { status: response.status, body: (await response.json()) as PricingResponse };
  };

  beforeAll(async () => {
    api = await startApi();
    root = await new ManagementClient(api.baseUrl).loginOrThrow('root', '123456');
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('is public and empty before any channel exists, with the group options beside the data', async () => {
    const { status, body } = await fetchPricing();
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.data).toEqual([]);
    expect(body.group_ratio).toMatchObject({ default: 1 });
    expect(Object.keys(body.usable_group)).toContain('default');
  });

  it('lists the models of enabled channels with prices from the ratio options', async () => {
    await setOption(root, 'ModelRatio', JSON.stringify({ 'gpt-4o': 1.25, 'claude-3-5-haiku-20241022': 0.4 }));
    await setOption(root, 'CompletionRatio', JSON.stringify({ 'gpt-4o': 4 }));
    await setOption(root, 'ModelPrice', JSON.stringify({ 'dall-e-3': 0.04 }));
    await createChannel(root, { name: 'openai', base_url: 'http://127.0.0.1:9', models: 'gpt-4o,dall-e-3', group: 'default,vip' });
    await createChannel(root, { name: 'claude', type: 14, base_url: 'http://127.0.0.1:9', models: 'claude-3-5-haiku-20241022' });

    const { body } = await fetchPricing();
    expect(body.data.map((m) => m.model_name)).toEqual(['claude-3-5-haiku-20241022', 'dall-e-3', 'gpt-4o']);
    const byName = Object.fromEntries(body.data.map((m) => [m.model_name, m]));
    expect(byName['gpt-4o']).toEqual({
      model_name: 'gpt-4o',
      quota_type: 0,
      model_ratio: 1.25,
      model_price: 0,
      completion_ratio: 4,
      enable_groups: ['default', 'vip'],
      owner_by: 'openai',
      supported_endpoint_types: ['openai'],
    });
    expect(byName['dall-e-3']).toMatchObject({ quota_type: 1, model_price: 0.04 });
    expect(byName['claude-3-5-haiku-20241022']).toMatchObject({
      model_ratio: 0.4,
      enable_groups: ['default'],
      owner_by: 'anthropic',
      supported_endpoint_types: ['anthropic', 'openai'],
    });
  });

  it('drops a model once its only channel is disabled', async () => {
    const list = await root.get<{ items: { id: number; name: string }[] }>('/api/channel/?p=1&page_size=10');
    const claude = list.body.data!.items.find((c) => c.name === 'claude')!;
    const reply = await root.put('/api/channel/', { id: claude.id, status: 2 });
    expect(reply.body.success).toBe(true);
    const { body } = await fetchPricing();
    expect(body.data.map((m) => m.model_name)).toEqual(['dall-e-3', 'gpt-4o']);
  });

  it('asks for a login when HeaderNavModules.pricing.requireAuth is on', async () => {
    await setOption(root, 'HeaderNavModules', JSON.stringify({ pricing: { enabled: true, requireAuth: true } }));
    const anonymous = await fetchPricing();
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.success).toBe(false);

    const signedIn = await root.get<unknown>('/api/pricing');
    expect(signedIn.status).toBe(200);
    expect((signedIn.body as unknown as PricingResponse).data.map((m) => m.model_name)).toContain('gpt-4o');

    await setOption(root, 'HeaderNavModules', '');
    expect((await fetchPricing()).status).toBe(200);
  });
});
