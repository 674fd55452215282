import { DEFAULT_BASE_URLS } from '../default-base-urls';

/** The OpenAI-style endpoints the relay serves (named by their path after /v1/, chat aside). */
export type OpenAiEndpoint =
  | 'chat'
  | 'completions'
  | 'embeddings'
  | 'responses'
  | 'images/generations'
  | 'images/edits'
  | 'audio/speech'
  | 'audio/transcriptions'
  | 'audio/translations'
  | 'moderations'
  | 'rerank';

export const OPENAI_ENDPOINT_PATHS: Readonly<Record<OpenAiEndpoint, string>> = Object.freeze({
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
  responses: '/v1/responses',
  'images/generations': '/v1/images/generations',
  'images/edits': '/v1/images/edits',
  'audio/speech': '/v1/audio/speech',
  'audio/transcriptions': '/v1/audio/transcriptions',
  'audio/translations': '/v1/audio/translations',
  moderations: '/v1/moderations',
  rerank: '/v1/rerank',
});



/**
 * The upstream URL of an endpoint. A channel's base URL replaces the default; a trailing slash or
 * a base that already ends in `/v1` is tolerated.
 */
export function openAiUpstreamUrl(channelType: number, baseUrl: string | null | undefined, endpoint: OpenAiEndpoint): string {
  let base = (baseUrl ?? '').trim() || DEFAULT_BASE_URLS[channelType] || 'https://api.openai.com';
  base = base.replace(/\/+$/, '');
  const path = OPENAI_ENDPOINT_PATHS[endpoint];
  return base.endsWith('/v1') ? `${base}${path.slice(3)}` : `${base}${path}`;
}
