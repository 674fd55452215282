import { UpstreamError, type OpenAiChatRequest, type UpstreamContext, type UpstreamTarget } from '@your-api/providers-core';
import { toClaudeMessagesRequest } from '../claude/upstream-request';
import { buildGeminiRequestBody } from '../gemini/upstream-request';
import { readVertexCredentials, type VertexCredentials } from './credentials';

/** Claude on Vertex names the API version in the body instead of a header. */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';
const DEFAULT_REGION = 'global';

/**
 * Anthropic's model names whose Vertex id is not simply the name (New API's table): Vertex puts
 * the date after an `@`, and the second Claude 3.5 Sonnet is `-v2`. Other names go as they are.
 */
const VERTEX_CLAUDE_MODEL_IDS: Readonly<Record<string, string>> = Object.freeze({
  'claude-3-sonnet-20240229': 'claude-3-sonnet@20240229',
  'claude-3-opus-20240229': 'claude-3-opus@20240229',
  'claude-3-haiku-20240307': 'claude-3-haiku@20240307',
  'claude-3-5-sonnet-20240620': 'claude-3-5-sonnet@20240620',
  'claude-3-5-sonnet-20241022': 'claude-3-5-sonnet-v2@20241022',
  'claude-3-5-haiku-20241022': 'claude-3-5-haiku@20241022',
  'claude-3-7-sonnet-20250219': 'claude-3-7-sonnet@20250219',
  'claude-sonnet-4-20250514': 'claude-sonnet-4@20250514',
  'claude-opus-4-20250514': 'claude-opus-4@20250514',
  'claude-opus-4-1-20250805': 'claude-opus-4-1@20250805',
  'claude-sonnet-4-5-20250929': 'claude-sonnet-4-5@20250929',
  'claude-haiku-4-5-20251001': 'claude-haiku-4-5@20251001',
  'claude-opus-4-5-20251101': 'claude-opus-4-5@20251101',
});

/** Vertex serves Anthropic's models under the `anthropic` publisher, Google's under `google`. */
export function isVertexClaudeModel(model: string): boolean {
  return model.startsWith('claude');
}

export function vertexClaudeModelId(model: string): string {
  return VERTEX_CLAUDE_MODEL_IDS[model] ?? model;
}

/**
 * The region of one request: the channel's `other` as a region name, or as a JSON object of
 * `{"<model>": region, "default": region}` (New API's per-model map); then a `region` in the key;
 * then `global`.
 */
export function vertexRegion(other: string, model: string, keyRegion = ''): string {
  const text = other.trim();
  let region = text;
  if (text.startsWith('{')) {
    let map: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) map = parsed as Record<string, unknown>;
    } catch {
      map = {};
    }
    const chosen = map[model] ?? map.default;
    region = typeof chosen === 'string' ? chosen.trim() : '';
  }
  region ||= keyRegion || DEFAULT_REGION;
  // The region becomes part of a host name: anything but a plain region name is a misconfiguration.
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) {
    throw new UpstreamError(500, 'channel/invalid-region', 'The channel names a Vertex AI region that is not valid', true);
  }
  return region;
}

/** Vertex's regional endpoint; the `global` location has a host without a region prefix. */
export function vertexDefaultBaseUrl(region: string): string {
  return region === 'global' ? 'https://aiplatform.googleapis.com' : `https://${region}-aiplatform.googleapis.com`;
}

/** A model name as one URL path segment (`@` kept: Vertex's Claude ids carry it). */
function modelSegment(model: string): string {
  return encodeURIComponent(model).replace(/%40/g, '@');
}

function locationPath(projectId: string, region: string): string {
  return `/v1/projects/${encodeURIComponent(projectId)}/locations/${region}`;
}

function claudeTarget(request: OpenAiChatRequest, ctx: UpstreamContext, credentials: VertexCredentials, region: string): UpstreamTarget {
  if (credentials.kind !== 'service-account') {
    throw new UpstreamError(500, 'channel/invalid-key', 'Claude models on Vertex AI need a service-account key, not an API key', true);
  }
  const action = ctx.stream ? 'streamRawPredict' : 'rawPredict';
  const { model: _model, ...claudeBody } = toClaudeMessagesRequest(request, ctx);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: ctx.stream ? 'text/event-stream' : 'application/json',
    'x-goog-user-project': credentials.account.projectId,
  };
  const beta = ctx.clientHeaders?.['anthropic-beta'];
  if (beta) headers['anthropic-beta'] = beta;
  const base = ctx.baseUrl || vertexDefaultBaseUrl(region);
  return {
    url: `${base}${locationPath(credentials.account.projectId, region)}/publishers/anthropic/models/${modelSegment(vertexClaudeModelId(ctx.upstreamModel))}:${action}`,
    headers,
    body: JSON.stringify({ anthropic_version: VERTEX_ANTHROPIC_VERSION, ...claudeBody }),
  };
}

function geminiTarget(request: OpenAiChatRequest, ctx: UpstreamContext, credentials: VertexCredentials, region: string): UpstreamTarget {
  const action = ctx.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  const base = ctx.baseUrl || vertexDefaultBaseUrl(region);
  const body = JSON.stringify(buildGeminiRequestBody(request, ctx.settings));
  const model = modelSegment(ctx.upstreamModel);
  if (credentials.kind === 'api-key') {
    // Express mode: no project in the path, the key in a header (never in the URL, which may be logged).
    return {
      url: `${base}/v1/publishers/google/models/${model}:${action}`,
      headers: { 'content-type': 'application/json', 'x-goog-api-key': credentials.apiKey },
      body,
    };
  }
  return {
    url: `${base}${locationPath(credentials.account.projectId, region)}/publishers/google/models/${model}:${action}`,
    headers: { 'content-type': 'application/json', 'x-goog-user-project': credentials.account.projectId },
    body,
  };
}

/**
 * URL, headers and body of a Vertex AI request. The Authorization header is not set here: the
 * access token comes from a token exchange (I/O), which the relay adds before sending.
 */
export function buildVertexChatRequest(request: OpenAiChatRequest, ctx: UpstreamContext): UpstreamTarget {
  const credentials = readVertexCredentials(ctx.apiKey);
  const keyRegion = credentials.kind === 'service-account' ? credentials.account.region : '';
  const region = vertexRegion(ctx.other, ctx.upstreamModel, keyRegion);
  return isVertexClaudeModel(ctx.upstreamModel)
    ? claudeTarget(request, ctx, credentials, region)
    : geminiTarget(request, ctx, credentials, region);
}
