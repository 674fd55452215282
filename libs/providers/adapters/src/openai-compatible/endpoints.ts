/** The OpenAI-style endpoints the relay core serves. */
export type OpenAiEndpoint = 'chat' | 'completions' | 'embeddings';

export const OPENAI_ENDPOINT_PATHS: Readonly<Record<OpenAiEndpoint, string>> = Object.freeze({
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
});

/** Default base URLs of OpenAI-compatible channel types (New API constant/channel.go). */
export const DEFAULT_BASE_URLS: Readonly<Record<number, string>> = Object.freeze({
  1: 'https://api.openai.com',
  4: 'http://localhost:11434',
  6: 'https://api.openaimax.com',
  7: 'https://api.ohmygpt.com',
  9: 'https://api.caipacity.com',
  10: 'https://api.aiproxy.io',
  12: 'https://api.api2gpt.com',
  13: 'https://api.aigc2d.com',
  19: 'https://api.360.cn',
  20: 'https://openrouter.ai/api',
  21: 'https://api.aiproxy.io',
  22: 'https://fastgpt.run/api/openapi',
  25: 'https://api.moonshot.cn',
  31: 'https://api.lingyiwanwu.com',
  40: 'https://api.siliconflow.cn',
  42: 'https://api.mistral.ai',
  43: 'https://api.deepseek.com',
  48: 'https://api.x.ai',
});

/**
 * The upstream URL of an endpoint. A channel's base URL replaces the default; a trailing slash or
 * a base that already ends in `/v1` is tolerated.
 */
export function openAiUpstreamUrl(channelType: number, baseUrl: string | null | undefined, endpoint: OpenAiEndpoint): string {
  let base = (baseUrl ?? '').trim() || DEFAULT_BASE_URLS[channelType] || DEFAULT_BASE_URLS[1];
  base = base.replace(/\/+$/, '');
  const path = OPENAI_ENDPOINT_PATHS[endpoint];
  return base.endsWith('/v1') ? `${base}${path.slice(3)}` : `${base}${path}`;
}
