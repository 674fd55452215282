import { ChannelType } from '@your-api/contracts';

/**
 * Built-in data: a modest list of well-known models per channel type (the console's model picker),
 * and each type's default upstream base URL (New API constant/channel.go ChannelBaseURLs).
 * Operators can always type other model names; this list only seeds the picker.
 */
export const KNOWN_MODELS: Readonly<Partial<Record<ChannelType, readonly string[]>>> = {
  [ChannelType.OpenAI]: [
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4.1',
    'gpt-4.1-mini',
    'gpt-4.1-nano',
    'gpt-4-turbo',
    'gpt-3.5-turbo',
    'o1',
    'o1-mini',
    'o3',
    'o3-mini',
    'o4-mini',
    'text-embedding-3-small',
    'text-embedding-3-large',
    'text-embedding-ada-002',
    'dall-e-3',
    'whisper-1',
    'tts-1',
    'tts-1-hd',
  ],
  [ChannelType.Anthropic]: [
    'claude-3-5-haiku-20241022',
    'claude-3-5-sonnet-20241022',
    'claude-3-7-sonnet-20250219',
    'claude-3-opus-20240229',
    'claude-sonnet-4-20250514',
    'claude-opus-4-20250514',
  ],
  [ChannelType.Gemini]: [
    'gemini-1.5-flash',
    'gemini-1.5-pro',
    'gemini-2.0-flash',
    'gemini-2.0-flash-lite',
    'gemini-2.5-flash',
    'gemini-2.5-pro',
    'text-embedding-004',
  ],
  [ChannelType.DeepSeek]: ['deepseek-chat', 'deepseek-reasoner'],
  [ChannelType.Moonshot]: ['moonshot-v1-8k', 'moonshot-v1-32k', 'moonshot-v1-128k', 'kimi-latest'],
  [ChannelType.Mistral]: ['mistral-large-latest', 'mistral-small-latest', 'codestral-latest', 'mistral-embed'],
  [ChannelType.Xai]: ['grok-2', 'grok-3', 'grok-3-mini'],
  [ChannelType.ZhipuV4]: ['glm-4', 'glm-4-plus', 'glm-4-flash', 'glm-4v', 'embedding-3'],
  [ChannelType.Ali]: ['qwen-turbo', 'qwen-plus', 'qwen-max', 'qwen-long', 'text-embedding-v3'],
  [ChannelType.Cohere]: ['command-r', 'command-r-plus', 'rerank-english-v3.0', 'rerank-multilingual-v3.0'],
  [ChannelType.Perplexity]: ['sonar', 'sonar-pro', 'sonar-reasoning'],
  [ChannelType.Jina]: ['jina-embeddings-v3', 'jina-reranker-v2-base-multilingual'],
  [ChannelType.VolcEngine]: ['doubao-pro-32k', 'doubao-lite-32k', 'doubao-1.5-pro-32k'],
};


