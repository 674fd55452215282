import { clientFormatOf, type ClientFormatName, type OpenAiEndpoint } from '@your-api/provider-adapters';
import { ClientRequestError } from '@your-api/providers-core';
import { ChatMessage, ChatToolDefinition, countChatPromptTokens, countTextTokens, countToolsTokens } from '@your-api/tokenizer';
import { imageSize } from 'image-size';
import { ApiError } from '../../common/api-error';
import { estimateEndpointPrompt, readEndpointJson, readEndpointMultipart, textOf } from './endpoint-requests';
import { MultipartBody, parseMultipart } from './multipart-body';

/**
 * The few fields of a relay body the gateway needs; everything else is forwarded untouched (a
 * whitelist would silently drop parameters OpenAI adds later).
 */
export interface RelayRequest {
  endpoint: OpenAiEndpoint;
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  /** The client asked for the final usage chunk (stream_options.include_usage). */
  clientWantsUsage: boolean;
  /** max_completion_tokens / max_tokens as sent, or null. */
  maxTokens: number | null;
  /** Which field carried it, so a cap writes back to the same one. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens' | 'max_output_tokens';
  /** Set when the gateway changed `body` (e.g. capped max_tokens): the raw bytes are stale then. */
  bodyChanged: boolean;
  /** The client's protocol when it is not OpenAI's (its body was converted into `body`). */
  clientFormat: ClientFormatName | null;
  /** That client's body as sent, for relaying it untouched to an upstream of the same protocol. */
  nativeBody: Record<string, unknown> | null;
  /** Multipliers of a per-call price (images: n, size/quality), also shown in the log. */
  otherRatios: Record<string, number>;
  /** A multipart upload (image edits, transcriptions), read whole. */
  multipart: MultipartBody | null;
  /** Image URLs of the prompt were already downloaded into data URLs. */
  imagesInlined?: boolean;
  /** The client-facing path when it is not the endpoint's /v1 path (the playground), for the log. */
  requestPath?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function readMaxTokens(body: Record<string, unknown>, field: string): number | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw ApiError.badRequest('request/invalid-max-tokens', `${field} must be a non-negative integer`);
  }
  return value;
}

/** Validates only what routing and billing need, with errors that name the field. */
export function readRelayRequest(endpoint: OpenAiEndpoint, body: unknown): RelayRequest {
  if (!isObject(body)) throw ApiError.badRequest('request/invalid-body', 'Request body must be a JSON object');
  if (endpoint !== 'chat' && endpoint !== 'completions' && endpoint !== 'embeddings') {
    const fields = readEndpointJson(endpoint, body);
    const request = baseRequest(endpoint, body, fields.model, fields.stream);
    request.otherRatios = fields.otherRatios;
    request.maxTokens = fields.maxTokens;
    request.maxTokensField = 'max_output_tokens';
    if (fields.modelDefaulted) {
      body.model = fields.model;
      request.bodyChanged = true;
    }
    return request;
  }
  const model = body.model;
  if (typeof model !== 'string' || model.trim() === '') {
    throw ApiError.badRequest('request/missing-model', 'model is required');
  }
  if (endpoint === 'chat' && (!Array.isArray(body.messages) || body.messages.length === 0)) {
    throw ApiError.badRequest('request/missing-messages', 'messages must be a non-empty array');
  }
  if (endpoint === 'completions' && body.prompt === undefined) {
    throw ApiError.badRequest('request/missing-prompt', 'prompt is required');
  }
  if (endpoint === 'embeddings' && (body.input === undefined || body.input === null || body.input === '')) {
    throw ApiError.badRequest('request/missing-input', 'input is required');
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    throw ApiError.badRequest('request/invalid-stream', 'stream must be a boolean');
  }
  const stream = endpoint !== 'embeddings' && body.stream === true;
  const streamOptions = isObject(body.stream_options) ? body.stream_options : null;
  const completionMax = readMaxTokens(body, 'max_completion_tokens');
  const legacyMax = readMaxTokens(body, 'max_tokens');
  return {
    endpoint,
    body,
    model: model.trim(),
    stream,
    clientWantsUsage: stream && streamOptions?.include_usage === true,
    maxTokens: completionMax ?? legacyMax,
    maxTokensField: completionMax !== null ? 'max_completion_tokens' : 'max_tokens',
    bodyChanged: false,
    clientFormat: null,
    nativeBody: null,
    otherRatios: {},
    multipart: null,
  };
}

/**
 * The playground's body (/pg/chat/completions): an OpenAI chat request plus an optional `group`
 * that picks the group to route and bill in. The field is removed, so it is never forwarded.
 */
export function readPlaygroundRequest(body: unknown): { request: RelayRequest; group: string | null } {
  let group: string | null = null;
  let removed = false;
  if (isObject(body) && Object.prototype.hasOwnProperty.call(body, 'group')) {
    const value = body.group;
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw ApiError.badRequest('request/invalid-group', 'group must be a string (one of your usable groups)');
    }
    group = typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
    delete body.group;
    removed = true;
  }
  const request = readRelayRequest('chat', body);
  // The raw bytes still carry the group: the upstream gets the body re-serialised without it.
  if (removed) request.bodyChanged = true;
  request.requestPath = '/pg/chat/completions';
  return { request, group };
}

function baseRequest(endpoint: OpenAiEndpoint, body: Record<string, unknown>, model: string, stream: boolean): RelayRequest {
  return {
    endpoint,
    body,
    model,
    stream,
    clientWantsUsage: false,
    maxTokens: null,
    maxTokensField: 'max_tokens',
    bodyChanged: false,
    clientFormat: null,
    nativeBody: null,
    otherRatios: {},
    multipart: null,
  };
}

/** Reads a multipart upload (image edits, audio transcriptions and translations). */
export async function readMultipartRelayRequest(endpoint: OpenAiEndpoint, raw: unknown, contentType: string | undefined): Promise<RelayRequest> {
  if (!Buffer.isBuffer(raw) || !contentType?.toLowerCase().startsWith('multipart/form-data')) {
    throw ApiError.badRequest('request/invalid-multipart', `/v1/${endpoint} takes a multipart/form-data body`);
  }
  const multipart = await parseMultipart(raw, contentType);
  const fields = readEndpointMultipart(endpoint, multipart);
  const request = baseRequest(endpoint, { ...multipart.fields }, fields.model, fields.stream);
  request.otherRatios = fields.otherRatios;
  request.multipart = multipart;
  return request;
}

/**
 * Reads a Claude (/v1/messages) or Gemini (/v1beta) request: the format validates and converts
 * it into the OpenAI pivot; bad input becomes a 400 in that client's error shape (by path).
 */
export function readClientFormatRequest(
  name: ClientFormatName,
  body: unknown,
  route: { pathModel?: string; pathStream?: boolean },
): RelayRequest {
  let pivot: Record<string, unknown>;
  try {
    pivot = clientFormatOf(name).toOpenAi(body, route) as unknown as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ClientRequestError) {
      const where = error.param ? ` (${error.param})` : '';
      throw ApiError.badRequest('request/invalid-body', `${error.message}${where}`);
    }
    throw error;
  }
  const request = readRelayRequest('chat', pivot);
  request.clientFormat = name;
  request.nativeBody = body as Record<string, unknown>;
  // The raw bytes are the client's format, never what an OpenAI upstream reads.
  request.bodyChanged = true;
  return request;
}

/** Bytes enough for every header image-size reads (JPEG's SOF marker may sit after the EXIF block). */
const IMAGE_HEADER_BASE64_CHARS = 96 * 1024;

/**
 * Pixel size of a `data:` image URL from its header (§10.3 tiles need it). URLs are not fetched
 * for counting: an image the gateway downloaded (Gemini) is a data URL by then.
 */
export function dataUrlImageSize(url: string): { width: number; height: number } | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  try {
    const head = Buffer.from(url.slice(comma + 1, comma + 1 + IMAGE_HEADER_BASE64_CHARS), 'base64');
    const size = imageSize(head);
    return size.width && size.height ? { width: size.width, height: size.height } : undefined;
  } catch {
    return undefined;
  }
}

/** Local estimate of the prompt, the basis of admission and of billing when the upstream gives no usage. */
export function estimatePromptTokens(request: RelayRequest, measureImages: boolean): number {
  const { body, model } = request;
  switch (request.endpoint) {
    case 'chat':
      return (
        countChatPromptTokens(model, body.messages as ChatMessage[], { measureImages, imageSize: dataUrlImageSize }) +
        countToolsTokens(model, Array.isArray(body.tools) ? (body.tools as ChatToolDefinition[]) : undefined)
      );
    case 'completions':
      return countTextTokens(model, textOf(body.prompt));
    case 'embeddings': {
      const input = body.input;
      // Pre-tokenized input (arrays of token ids) is counted as is.
      if (Array.isArray(input) && input.every((v) => typeof v === 'number')) return input.length;
      if (Array.isArray(input) && input.every((v) => Array.isArray(v))) return input.reduce((n: number, v: unknown[]) => n + v.length, 0);
      return countTextTokens(model, textOf(input));
    }
    default:
      return estimateEndpointPrompt(request.endpoint, model, body, request.multipart);
  }
}
