import type { OpenAiChatRequest, UpstreamContext, UpstreamTarget } from '@your-api/providers-core';
import { toClaudeMessagesRequest } from '../claude/upstream-request';
import { readBedrockCredentials } from './credentials';
import { bedrockModelId } from './model-ids';

/** Claude on Bedrock names the API version in the body instead of a header. */
export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';
/** Bedrock's streaming answer: AWS event-stream binary frames, not SSE. */
export const AWS_EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

export function bedrockDefaultBaseUrl(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

/**
 * URL, headers and body of a Bedrock InvokeModel (or InvokeModelWithResponseStream) call for a
 * Claude model. The body is Anthropic's Messages body without `model` (it is in the URL), `stream`
 * (the operation says it) and `metadata` (Bedrock rejects it), with Bedrock's `anthropic_version`
 * and the client's `anthropic-beta` header as the `anthropic_beta` list. An access-key channel's
 * SigV4 signature is added by the relay; an API-key channel authenticates with a bearer token.
 */
export function buildBedrockChatRequest(request: OpenAiChatRequest, ctx: UpstreamContext): UpstreamTarget {
  const credentials = readBedrockCredentials(ctx.apiKey);
  const modelId = bedrockModelId(ctx.upstreamModel, credentials.region);
  const operation = ctx.stream ? 'invoke-with-response-stream' : 'invoke';
  const base = ctx.baseUrl || bedrockDefaultBaseUrl(credentials.region);
  const { model: _model, stream: _stream, metadata: _metadata, ...claudeBody } = toClaudeMessagesRequest(request, ctx);
  const body: Record<string, unknown> = { anthropic_version: BEDROCK_ANTHROPIC_VERSION, ...claudeBody };
  const beta = (ctx.clientHeaders?.['anthropic-beta'] ?? '')
    .split(',')
    .map((flag) => flag.trim())
    .filter(Boolean);
  if (beta.length > 0) body.anthropic_beta = beta;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (ctx.stream) {
    headers.accept = AWS_EVENT_STREAM_CONTENT_TYPE;
    // The content type of the payloads inside the event stream.
    headers['x-amzn-bedrock-accept'] = 'application/json';
  }
  if (credentials.kind === 'api-key') headers.authorization = `Bearer ${credentials.apiKey}`;
  return { url: `${base}/model/${encodeURIComponent(modelId)}/${operation}`, headers, body: JSON.stringify(body) };
}
