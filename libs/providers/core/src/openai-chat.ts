import type { Usage } from './usage';

/**
 * OpenAI chat-completions shapes: the gateway's pivot format. Every client format is converted to
 * an OpenAiChatRequest, and every upstream protocol's reply back to OpenAI responses/chunks, so
 * N client formats and M upstreams need N + M converters, not N × M. Unknown fields are allowed
 * (`[key: string]: unknown`) because they pass through to OpenAI-compatible upstreams untouched.
 */
export interface OpenAiTextPart {
  type: 'text';
  text: string;
}
export interface OpenAiImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' | string };
}
export interface OpenAiAudioPart {
  type: 'input_audio';
  input_audio: { data: string; format: string };
}
export interface OpenAiFilePart {
  type: 'file';
  file: { file_data?: string; file_id?: string; filename?: string };
}
export type OpenAiContentPart = OpenAiTextPart | OpenAiImagePart | OpenAiAudioPart | OpenAiFilePart;

export interface OpenAiToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAiChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content?: string | OpenAiContentPart[] | null;
  name?: string;
  tool_calls?: OpenAiToolCall[];
  tool_call_id?: string;
  /** Non-standard (DeepSeek, New API): the model's reasoning text. */
  reasoning_content?: string;
  [key: string]: unknown;
}

export interface OpenAiFunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type OpenAiToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export interface OpenAiChatRequest {
  model: string;
  messages: OpenAiChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  /** Non-standard, passed to upstreams that know it (Claude, Gemini). */
  top_k?: number;
  stop?: string | string[];
  n?: number;
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  tools?: OpenAiFunctionTool[];
  tool_choice?: OpenAiToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: { type: 'text' | 'json_object' | 'json_schema'; json_schema?: { name?: string; schema?: Record<string, unknown>; strict?: boolean } };
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high' | string;
  user?: string;
  [key: string]: unknown;
}

export interface OpenAiUsageJson {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

export type OpenAiFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface OpenAiChatResponse {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: number;
    message: { role: 'assistant'; content: string | null; reasoning_content?: string; tool_calls?: OpenAiToolCall[]; refusal?: string | null };
    finish_reason: OpenAiFinishReason | null;
  }[];
  usage?: OpenAiUsageJson;
  [key: string]: unknown;
}

export interface OpenAiToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface OpenAiChatChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: {
    index: number;
    delta: { role?: 'assistant'; content?: string | null; reasoning_content?: string; tool_calls?: OpenAiToolCallDelta[]; refusal?: string | null };
    finish_reason: OpenAiFinishReason | null;
  }[];
  usage?: OpenAiUsageJson | null;
  [key: string]: unknown;
}

/** Our normalised Usage as an OpenAI `usage` object (prompt_tokens includes cache reads and writes). */
export function usageToOpenAi(usage: Usage): OpenAiUsageJson {
  const json: OpenAiUsageJson = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens || usage.promptTokens + usage.completionTokens,
  };
  if (usage.cachedTokens || usage.cacheWriteTokens) {
    json.prompt_tokens_details = { cached_tokens: usage.cachedTokens };
    if (usage.cacheWriteTokens) json.prompt_tokens_details.cache_write_tokens = usage.cacheWriteTokens;
  }
  if (usage.reasoningTokens) json.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return json;
}

/** The text of an OpenAI message content (string, or the text parts of an array). */
export function contentText(content: OpenAiChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** Splits a `data:` URL into its media type and base64 payload, or null when it is not one. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | null {
  const match = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!match) return null;
  return { mediaType: match[1] ?? 'application/octet-stream', data: match[2] };
}
