import { parseModelSuffix } from './model-suffix';
import { azureUpstreamUrl } from './azure/azure';

describe('parseModelSuffix', () => {
  it('reads reasoning effort only on reasoning models', () => {
    expect(parseModelSuffix('o3-mini-high')).toEqual({ baseModel: 'o3-mini', reasoningEffort: 'high' });
    expect(parseModelSuffix('gpt-5-low')).toEqual({ baseModel: 'gpt-5', reasoningEffort: 'low' });
    expect(parseModelSuffix('my-model-high')).toEqual({ baseModel: 'my-model-high' });
  });
  it('reads the thinking suffix', () => {
    expect(parseModelSuffix('claude-3-7-sonnet-20250219-thinking')).toEqual({ baseModel: 'claude-3-7-sonnet-20250219', thinking: true });
    expect(parseModelSuffix('-thinking')).toEqual({ baseModel: '-thinking' });
    expect(parseModelSuffix('gpt-4o')).toEqual({ baseModel: 'gpt-4o' });
  });
});

describe('azureUpstreamUrl', () => {
  it('builds deployment URLs without dots in the deployment', () => {
    expect(azureUpstreamUrl('https://x.openai.azure.com/', 'gpt-3.5-turbo', 'chat', '2024-12-01-preview')).toBe(
      'https://x.openai.azure.com/openai/deployments/gpt-35-turbo/chat/completions?api-version=2024-12-01-preview',
    );
    expect(azureUpstreamUrl('http://h', 'text-embedding-3-small', 'embeddings', 'v')).toBe('http://h/openai/deployments/text-embedding-3-small/embeddings?api-version=v');
  });
});
