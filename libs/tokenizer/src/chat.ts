import { LoadedEncoding, countEncodedTokens, encoderForModel } from './encoding';
import { imageTokenCosts, imageTokens } from './image';

/** An `image_url` part's payload: a bare URL or OpenAI's object form. */
export type ChatImageUrl = string | { url: string; detail?: string };

/** One element of an array `content` (OpenAI chat shape; unknown types are tolerated). */
export interface ChatContentPart {
  type: string;
  text?: string;
  image_url?: ChatImageUrl;
}

export interface ChatToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

/** The subset of an OpenAI chat message that counts towards prompt tokens. */
export interface ChatMessage {
  role: string;
  content?: string | ReadonlyArray<ChatContentPart> | null;
  name?: string;
  tool_calls?: ReadonlyArray<ChatToolCall>;
  /** Legacy (pre-tools) function call on assistant messages. */
  function_call?: { name?: string; arguments?: string };
  tool_call_id?: string;
}

export interface ChatTokenCountOptions {
  /**
   * Count `image_url` parts with the tile formula (New API's `GET_MEDIA_TOKEN`). When false (the
   * default) every image costs a flat 3 × base, as New API does when it does not measure images.
   */
  measureImages?: boolean;
  /** Pixel size of an image, when the caller already knows it. This library never fetches URLs. */
  imageSize?: (url: string) => { width: number; height: number } | undefined;
}

/** Flat charges for non-text parts (New API `CountTokenMessages`). */
export const INPUT_AUDIO_PART_TOKENS = 100;
export const FILE_PART_TOKENS = 5000;
export const VIDEO_PART_TOKENS = 5000;
/** Overhead added once when a request carries tool definitions. */
export const TOOLS_OVERHEAD_TOKENS = 8;

interface Overhead {
  perMessage: number;
  perName: number;
}

function messageOverhead(model: string): Overhead {
  // gpt-3.5-turbo-0301 framed messages differently; a name replaced the role there.
  return model === 'gpt-3.5-turbo-0301' ? { perMessage: 4, perName: -1 } : { perMessage: 3, perName: 1 };
}

function imagePartTokens(model: string, image: ChatImageUrl | undefined, opts: ChatTokenCountOptions): number {
  const url = typeof image === 'string' ? image : (image?.url ?? '');
  const detail = typeof image === 'string' ? undefined : image?.detail;
  if (detail === 'low') return imageTokenCosts(model).base;
  if (!opts.measureImages) return 3 * imageTokenCosts(model).base;
  const size = url ? opts.imageSize?.(url) : undefined;
  return imageTokens(detail, size?.width, size?.height, model);
}

function contentTokens(
  enc: LoadedEncoding,
  model: string,
  content: ChatMessage['content'],
  opts: ChatTokenCountOptions,
): number {
  if (content === undefined || content === null) return 0;
  if (typeof content === 'string') return countEncodedTokens(enc, content);
  let n = 0;
  for (const part of content) {
    switch (part.type) {
      case 'image_url':
        n += imagePartTokens(model, part.image_url, opts);
        break;
      case 'input_audio':
        n += INPUT_AUDIO_PART_TOKENS;
        break;
      case 'file':
        n += FILE_PART_TOKENS;
        break;
      case 'video_url':
        n += VIDEO_PART_TOKENS;
        break;
      default:
        // "text" and any future text-like part.
        if (typeof part.text === 'string') n += countEncodedTokens(enc, part.text);
    }
  }
  return n;
}

/**
 * Estimated prompt tokens of a chat request (OpenAI cookbook `num_tokens_from_messages`, with New
 * API's handling of multimodal parts):
 *   Σ per message: 3 + tokens(role) + tokens(content) [+ 1 + tokens(name)]
 *                  + tokens(JSON of tool_calls / function_call) + tokens(tool_call_id)
 *   + 3 for the primed assistant reply.
 * Text parts are tokenized; images follow {@link imageTokens} (flat unless `measureImages`);
 * audio +100, file +5000, video +5000. Tool *definitions* are counted by {@link countToolsTokens}.
 */
export function countChatPromptTokens(
  model: string,
  messages: ReadonlyArray<ChatMessage>,
  options: ChatTokenCountOptions = {},
): number {
  const enc = encoderForModel(model);
  const { perMessage, perName } = messageOverhead(model);
  let total = 0;
  for (const m of messages) {
    total += perMessage;
    total += countEncodedTokens(enc, m.role ?? '');
    total += contentTokens(enc, model, m.content, options);
    if (m.name) total += perName + countEncodedTokens(enc, m.name);
    if (m.tool_calls && m.tool_calls.length > 0) total += countEncodedTokens(enc, JSON.stringify(m.tool_calls));
    if (m.function_call) total += countEncodedTokens(enc, JSON.stringify(m.function_call));
    if (m.tool_call_id) total += countEncodedTokens(enc, m.tool_call_id);
  }
  return total + 3;
}

/** A tool definition as sent in `tools` (function tools; others contribute only their name). */
export interface ChatToolDefinition {
  type?: string;
  function?: { name?: string; description?: string; parameters?: unknown };
}

/**
 * Tokens for the request's tool definitions: each tool's name + description + JSON parameters,
 * plus a fixed 8 once if there is any tool (New API `CountTokenChatRequest`).
 */
export function countToolsTokens(model: string, tools: ReadonlyArray<ChatToolDefinition> | undefined): number {
  if (!tools || tools.length === 0) return 0;
  const enc = encoderForModel(model);
  let total = TOOLS_OVERHEAD_TOKENS;
  for (const t of tools) {
    const f = t.function;
    if (!f) continue;
    const params = f.parameters === undefined ? '' : JSON.stringify(f.parameters);
    total += countEncodedTokens(enc, `${f.name ?? ''}${f.description ?? ''}${params}`);
  }
  return total;
}
