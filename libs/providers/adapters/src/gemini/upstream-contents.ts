import { contentText, parseDataUrl, type OpenAiChatMessage, type OpenAiContentPart } from '@your-api/providers-core';
import { parseArgumentsObject } from './json-values';
import type { GeminiContent, GeminiGenerateContentRequest, GeminiPart, GeminiRole } from './wire-types';

/** Hands out image slots up to GEMINI_VISION_MAX_IMAGE_NUM (negative = unlimited). */
class ImageAllowance {
  private used = 0;

  constructor(private readonly limit: number) {}

  take(): boolean {
    if (this.limit >= 0 && this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }
}

const IMAGE_TYPES_BY_EXTENSION: Readonly<Record<string, string>> = Object.freeze({
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  bmp: 'image/bmp',
});

/** The image type a URL's file extension suggests (query and fragment ignored), default image/jpeg. */
export function imageMimeTypeFromUrl(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return IMAGE_TYPES_BY_EXTENSION[extension] ?? 'image/jpeg';
}

function imagePart(url: string): GeminiPart {
  const inline = parseDataUrl(url);
  if (inline) return { inlineData: { mimeType: inline.mediaType, data: inline.data } };
  return { fileData: { fileUri: url, mimeType: imageMimeTypeFromUrl(url) } };
}

function filePart(fileData: string | undefined): GeminiPart | null {
  const inline = fileData ? parseDataUrl(fileData) : null;
  return inline ? { inlineData: { mimeType: inline.mediaType, data: inline.data } } : null;
}

/** One OpenAI content part as a Gemini part, or null when it has nothing Gemini can take. */
function partFromOpenAi(part: OpenAiContentPart, images: ImageAllowance): GeminiPart | null {
  switch (part.type) {
    case 'text':
      return part.text ? { text: part.text } : null;
    case 'image_url':
      return images.take() ? imagePart(part.image_url.url) : null;
    case 'input_audio':
      return { inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } };
    case 'file':
      // A file_id refers to OpenAI's file store, which Gemini cannot read.
      return filePart(part.file.file_data);
  }
}

function userParts(content: OpenAiChatMessage['content'], images: ImageAllowance): GeminiPart[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  if (!Array.isArray(content)) return [];
  // Boolean(): parts of types this gateway does not know come back undefined.
  return content.map((part) => partFromOpenAi(part, images)).filter((part): part is GeminiPart => Boolean(part));
}

/** Assistant text and tool calls; records each call's name by id for the tool replies that follow. */
function modelParts(message: OpenAiChatMessage, namesByCallId: Map<string, string>): GeminiPart[] {
  const text = contentText(message.content);
  const parts: GeminiPart[] = text ? [{ text }] : [];
  for (const call of message.tool_calls ?? []) {
    namesByCallId.set(call.id, call.function.name);
    parts.push({ functionCall: { name: call.function.name, args: parseArgumentsObject(call.function.arguments) } });
  }
  return parts;
}

/** A tool reply: Gemini matches it by function name, not by call id. */
function functionResponsePart(message: OpenAiChatMessage, namesByCallId: Map<string, string>): GeminiPart {
  const name = (message.tool_call_id ? namesByCallId.get(message.tool_call_id) : undefined) ?? message.name ?? '';
  return { functionResponse: { name, response: { name, content: contentText(message.content) } } };
}

/** Gemini wants alternating turns: consecutive turns of one role become one turn. */
function mergeSameRoleTurns(turns: GeminiContent[]): GeminiContent[] {
  const merged: GeminiContent[] = [];
  for (const turn of turns) {
    const previous = merged[merged.length - 1];
    if (previous && previous.role === turn.role) previous.parts.push(...turn.parts);
    else merged.push({ role: turn.role, parts: [...turn.parts] });
  }
  return merged;
}

function systemInstruction(messages: OpenAiChatMessage[]): GeminiGenerateContentRequest['systemInstruction'] {
  const text = messages
    .filter((message) => message.role === 'system' || message.role === 'developer')
    .map((message) => contentText(message.content))
    .join('\n');
  return text ? { parts: [{ text }] } : undefined;
}

const turn = (role: GeminiRole, parts: GeminiPart[]): GeminiContent | null => (parts.length > 0 ? { role, parts } : null);

/** One non-system message as a Gemini turn; system and developer messages go to `systemInstruction`. */
function turnOf(message: OpenAiChatMessage, namesByCallId: Map<string, string>, images: ImageAllowance): GeminiContent | null {
  if (message.role === 'assistant') return turn('model', modelParts(message, namesByCallId));
  if (message.role === 'tool') return turn('user', [functionResponsePart(message, namesByCallId)]);
  if (message.role === 'user') return turn('user', userParts(message.content, images));
  return null;
}

/**
 * OpenAI messages as Gemini `contents` plus `systemInstruction` (protocols.md §3.4). Turns left
 * without parts (empty text, dropped images) are omitted: Gemini rejects empty turns.
 */
export function toGeminiContents(
  messages: OpenAiChatMessage[],
  maxImages: number,
): Pick<GeminiGenerateContentRequest, 'contents' | 'systemInstruction'> {
  const namesByCallId = new Map<string, string>();
  const images = new ImageAllowance(maxImages);
  const turns = messages.map((message) => turnOf(message, namesByCallId, images)).filter((turn): turn is GeminiContent => turn !== null);
  return { contents: mergeSameRoleTurns(turns), systemInstruction: systemInstruction(messages) };
}
