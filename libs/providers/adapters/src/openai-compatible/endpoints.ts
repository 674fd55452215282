import { DEFAULT_BASE_URLS } from '../default-base-urls';

/** The OpenAI-style endpoints the relay core serves. */
export type OpenAiEndpoint = 'chat' | 'completions' | 'embeddings';

export const OPENAI_ENDPOINT_PATHS: Readonly<Record<OpenAiEndpoint, string>> = Object.freeze({
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
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
