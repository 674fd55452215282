import { imagePriceRatio } from '@your-api/billing-math';
import type { OpenAiEndpoint } from '@your-api/provider-adapters';
import { countTextTokens } from '@your-api/tokenizer';
import { ApiError } from '../../common/api-error';
import type { MultipartBody } from './multipart-body';

/**
 * Validation and prompt estimates of the endpoints besides chat, completions and embeddings:
 * only what routing and billing need is checked; the body goes upstream as sent.
 */
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface EndpointFields {
  model: string;
  stream: boolean;
  /** Billing multipliers of per-call prices (images: n and the size/quality ratio). */
  otherRatios: Record<string, number>;
  /** Output-token limit field of the endpoint, when it has one. */
  maxTokens: number | null;
  /** The model was not sent and a default was filled in (the body must then be rewritten). */
  modelDefaulted: boolean;
}

/** Sizes each DALL·E model accepts; anything else is refused before it costs anything. */
const DALLE_SIZES: Readonly<Record<string, readonly string[]>> = {
  'dall-e-2': ['256x256', '512x512', '1024x1024'],
  'dall-e-3': ['1024x1024', '1024x1792', '1792x1024'],
};

const bad = (code: string, message: string) => ApiError.badRequest(code, message);

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw bad(`request/missing-${field.replace(/_/g, '-')}`, `${field} is required and must be a non-empty string`);
  return value;
}

function imageRatios(model: string, nValue: unknown, size: unknown, quality: unknown): Record<string, number> {
  const n = nValue === undefined || nValue === null || nValue === '' ? 1 : Number(nValue);
  if (!Number.isInteger(n) || n < 1 || n > 10) throw bad('request/invalid-n', 'n must be an integer from 1 to 10');
  const sizeText = typeof size === 'string' && size ? size : undefined;
  const allowed = DALLE_SIZES[model];
  if (allowed && sizeText && !allowed.includes(sizeText)) {
    throw bad('request/invalid-size', `size must be one of ${allowed.join(', ')} for ${model}`);
  }
  return { n, image_size: imagePriceRatio(model, sizeText, typeof quality === 'string' ? quality : undefined) };
}

/** Reads a JSON body of one of these endpoints. */
export function readEndpointJson(endpoint: OpenAiEndpoint, body: Record<string, unknown>): EndpointFields {
  const declared = typeof body.model === 'string' && body.model.trim() ? body.model.trim() : '';
  const fields: EndpointFields = { model: declared, stream: false, otherRatios: {}, maxTokens: null, modelDefaulted: false };
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw bad('request/invalid-stream', 'stream must be a boolean');
  switch (endpoint) {
    case 'responses':
      if (body.input === undefined && body.previous_response_id === undefined && body.prompt === undefined) {
        throw bad('request/missing-input', 'input is required');
      }
      fields.stream = body.stream === true;
      if (body.max_output_tokens !== undefined && body.max_output_tokens !== null) {
        if (typeof body.max_output_tokens !== 'number' || !Number.isInteger(body.max_output_tokens) || body.max_output_tokens < 1) {
          throw bad('request/invalid-max-tokens', 'max_output_tokens must be a positive integer');
        }
        fields.maxTokens = body.max_output_tokens;
      }
      break;
    case 'images/generations':
      requireString(body.prompt, 'prompt');
      if (!fields.model) {
        fields.model = 'dall-e-2';
        fields.modelDefaulted = true;
      }
      fields.stream = body.stream === true;
      fields.otherRatios = imageRatios(fields.model, body.n, body.size, body.quality);
      break;
    case 'audio/speech':
      requireString(body.input, 'input');
      requireString(body.voice, 'voice');
      break;
    case 'moderations':
      if (body.input === undefined || body.input === null || body.input === '') throw bad('request/missing-input', 'input is required');
      if (!fields.model) {
        fields.model = 'omni-moderation-latest';
        fields.modelDefaulted = true;
      }
      break;
    case 'rerank':
      requireString(body.query, 'query');
      if (!Array.isArray(body.documents) || body.documents.length === 0) throw bad('request/missing-documents', 'documents must be a non-empty array');
      break;
    default:
      break;
  }
  if (!fields.model) throw bad('request/missing-model', 'model is required');
  return fields;
}

/** Reads a multipart body (image edits, transcriptions, translations). */
export function readEndpointMultipart(endpoint: OpenAiEndpoint, body: MultipartBody): EndpointFields {
  const model = (body.fields.model ?? '').trim();
  if (!model) throw bad('request/missing-model', 'model is required');
  const hasFile = (names: string[]) => body.files.some((f) => names.includes(f.field));
  const fields: EndpointFields = { model, stream: body.fields.stream === 'true', otherRatios: {}, maxTokens: null, modelDefaulted: false };
  if (endpoint === 'images/edits') {
    if (!hasFile(['image', 'image[]'])) throw bad('request/missing-image', 'image is required (a file field)');
    requireString(body.fields.prompt, 'prompt');
    fields.otherRatios = imageRatios(model, body.fields.n, body.fields.size, body.fields.quality);
  } else if (!hasFile(['file'])) {
    throw bad('request/missing-file', 'file is required (a file field)');
  }
  return fields;
}

/** The text of a prompt-like field (string, array of parts, message-like objects), for local token estimates. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  if (isObject(value)) {
    if (typeof value.text === 'string') return value.text;
    if (value.content !== undefined) return textOf(value.content);
    if (typeof value.output === 'string') return value.output;
    if (typeof value.arguments === 'string') return value.arguments;
  }
  return '';
}

/** Local estimate of the prompt of these endpoints (the basis of admission, and of billing without usage). */
export function estimateEndpointPrompt(endpoint: OpenAiEndpoint, model: string, body: Record<string, unknown>, multipart: MultipartBody | null): number {
  switch (endpoint) {
    case 'responses':
      return countTextTokens(model, [textOf(body.instructions), textOf(body.input)].join('\n'));
    case 'images/generations':
      return countTextTokens(model, textOf(body.prompt));
    case 'images/edits':
      return countTextTokens(model, multipart?.fields.prompt ?? '');
    case 'audio/speech': {
      // New API: TTS models bill characters; gpt-* TTS models bill tokens.
      const input = textOf(body.input);
      return model.startsWith('gpt') ? countTextTokens(model, input) : input.length;
    }
    case 'moderations':
      return countTextTokens(model, textOf(body.input));
    case 'rerank':
      return countTextTokens(model, [textOf(body.query), ...(Array.isArray(body.documents) ? body.documents.map(textOf) : [])].join('\n'));
    default:
      return 0;
  }
}
