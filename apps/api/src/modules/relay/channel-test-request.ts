import { ChannelType } from '@your-api/contracts';
import type { ClientFormatName, OpenAiEndpoint } from '@your-api/provider-adapters';

/**
 * The tiny request of a channel test (New API controller/channel-test.go buildTestRequest): which
 * model, which endpoint, and the body. Pure, so the rules are unit-tested apart from the I/O.
 */

/** Where a test request goes: an OpenAI endpoint, or a client format served through the pivot. */
export type TestEndpoint = { kind: 'openai'; endpoint: OpenAiEndpoint } | { kind: 'format'; format: ClientFormatName };

export interface ChannelTestRequest {
  model: string;
  target: TestEndpoint;
  stream: boolean;
  body: Record<string, unknown>;
}

const FALLBACK_TEST_MODEL = 'gpt-4o-mini';

/** The model to test: the query's, else the channel's test_model, else its first model, else gpt-4o-mini. */
export function chooseTestModel(requested: string | undefined, channel: { test_model: string | null; models: string | null }): string {
  const fromQuery = requested?.trim();
  if (fromQuery) return fromQuery;
  const testModel = channel.test_model?.trim();
  if (testModel) return testModel;
  const first = (channel.models ?? '').split(',').map((m) => m.trim()).find(Boolean);
  return first || FALLBACK_TEST_MODEL;
}

/** New API endpoint_type values (constant/endpoint_type.go) this gateway can test. */
const ENDPOINT_TYPES: Readonly<Record<string, TestEndpoint>> = {
  openai: { kind: 'openai', endpoint: 'chat' },
  'openai-response': { kind: 'openai', endpoint: 'responses' },
  anthropic: { kind: 'format', format: 'claude' },
  gemini: { kind: 'format', format: 'gemini' },
  'jina-rerank': { kind: 'openai', endpoint: 'rerank' },
  'image-generation': { kind: 'openai', endpoint: 'images/generations' },
  embeddings: { kind: 'openai', endpoint: 'embeddings' },
};

/**
 * The endpoint of the test: `endpoint_type` when given (unknown values test chat), else guessed
 * from the model name (rerank, embedding, image and responses-only models) and channel type.
 */
export function testEndpointOf(model: string, endpointType: string | undefined, channelType: number): TestEndpoint {
  const explicit = endpointType?.trim();
  if (explicit) return ENDPOINT_TYPES[explicit] ?? { kind: 'openai', endpoint: 'chat' };
  const lower = model.toLowerCase();
  if (lower.includes('codex')) return { kind: 'openai', endpoint: 'responses' };
  // Before the embedding rule: bge-reranker is a rerank model.
  if (lower.includes('rerank')) return { kind: 'openai', endpoint: 'rerank' };
  if (lower.includes('embed') || model.startsWith('m3e') || model.includes('bge-') || channelType === ChannelType.MokaAI) {
    return { kind: 'openai', endpoint: 'embeddings' };
  }
  if (channelType === ChannelType.VolcEngine && lower.includes('seedream')) return { kind: 'openai', endpoint: 'images/generations' };
  if (/^(dall-e|gpt-image)/.test(lower)) return { kind: 'openai', endpoint: 'images/generations' };
  return { kind: 'openai', endpoint: 'chat' };
}

/** OpenAI reasoning models spend output tokens thinking before they answer. */
export function isReasoningModel(model: string): boolean {
  return /^(o1|o3|o4|gpt-5)/.test(model);
}

/** The chat output limit of a test: enough for a reasoning model to get to an answer, else 16. */
function chatLimit(model: string): Record<string, number> {
  if (isReasoningModel(model)) return { max_completion_tokens: 3000 };
  if (model.includes('thinking') && !model.includes('claude')) return { max_tokens: 50 };
  if (model.includes('gemini')) return { max_tokens: 3000 };
  return { max_tokens: 16 };
}

/** Builds the test request; `prompt` is the user message of chat-like tests ("hi"). */
export function buildChannelTestRequest(model: string, target: TestEndpoint, stream: boolean, prompt: string): ChannelTestRequest {
  const text = prompt || 'hi';
  const base = { model, target };
  if (target.kind === 'format') {
    if (target.format === 'claude') {
      return { ...base, stream, body: { model, stream, max_tokens: 16, messages: [{ role: 'user', content: text }] } };
    }
    return { ...base, stream, body: { contents: [{ role: 'user', parts: [{ text }] }], generationConfig: { maxOutputTokens: 3000 } } };
  }
  switch (target.endpoint) {
    case 'embeddings':
      return { ...base, stream: false, body: { model, input: ['hello world'] } };
    case 'rerank':
      return {
        ...base,
        stream: false,
        body: {
          model,
          query: 'What is Deep Learning?',
          documents: ['Deep Learning is a subset of machine learning.', 'Machine learning is a field of artificial intelligence.'],
          top_n: 2,
        },
      };
    case 'images/generations':
      return { ...base, stream: false, body: { model, prompt: 'a cute cat', n: 1, size: '1024x1024' } };
    case 'responses':
      return { ...base, stream, body: { model, stream, input: [{ role: 'user', content: text }] } };
    default:
      return {
        ...base,
        stream,
        body: {
          model,
          stream,
          messages: [{ role: 'user', content: text }],
          ...chatLimit(model),
          ...(stream ? { stream_options: { include_usage: true } } : {}),
        },
      };
  }
}
