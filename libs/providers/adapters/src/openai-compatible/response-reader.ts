import { FinishReason, mapOpenAiFinishReason, Usage, usageFromOpenAi } from '@your-api/providers-core';

export interface OpenAiResponseSummary {
  usage: Usage | null;
  finishReason: FinishReason | null;
  /** Any text, reasoning, refusal, tool call or embedding came back. */
  hasContent: boolean;
  /** Generated text, for local counting when the upstream gives no usage. */
  text: string;
}

interface ResponseJson {
  usage?: unknown;
  choices?: { message?: { content?: unknown; reasoning_content?: unknown; tool_calls?: unknown; function_call?: unknown; refusal?: unknown }; text?: unknown; finish_reason?: unknown }[];
  data?: unknown[];
}

/** Reads usage and content of a non-stream OpenAI chat, completions or embeddings response. */
export function summariseOpenAiResponse(json: unknown): OpenAiResponseSummary {
  const body = (typeof json === 'object' && json !== null ? json : {}) as ResponseJson;
  let text = '';
  let hasContent = false;
  let finishReason: FinishReason | null = null;
  for (const choice of Array.isArray(body.choices) ? body.choices : []) {
    const message = choice.message;
    const content = typeof choice.text === 'string' ? choice.text : typeof message?.content === 'string' ? message.content : '';
    const reasoning = typeof message?.reasoning_content === 'string' ? message.reasoning_content : '';
    text += content + reasoning;
    if (content || reasoning || (Array.isArray(message?.tool_calls) && message.tool_calls.length > 0) || message?.function_call || (typeof message?.refusal === 'string' && message.refusal)) {
      hasContent = true;
    }
    finishReason = mapOpenAiFinishReason(choice.finish_reason) ?? finishReason;
  }
  if (Array.isArray(body.data) && body.data.length > 0) hasContent = true;
  return { usage: body.usage ? usageFromOpenAi(body.usage) : null, finishReason, hasContent, text };
}

/** Reads a provider error body (OpenAI shape, or anything with a message) into safe parts. */
export function readOpenAiError(json: unknown): { message: string; type: string; code: string } {
  const body = (typeof json === 'object' && json !== null ? json : {}) as { error?: unknown; message?: unknown };
  const error = (typeof body.error === 'object' && body.error !== null ? body.error : body) as { message?: unknown; type?: unknown; code?: unknown };
  const message = typeof error.message === 'string' ? error.message : typeof body.error === 'string' ? body.error : '';
  return {
    message,
    type: typeof error.type === 'string' ? error.type : '',
    code: typeof error.code === 'string' ? error.code : typeof error.code === 'number' ? String(error.code) : '',
  };
}

/**
 * The usage of a non-stream OpenAI reply read from its text without building the rest: the relay
 * forwards the reply's bytes untouched and needs only this for billing. One pass over the text
 * checks that it is one whole JSON object (balanced, nothing after it; values outside usage are not
 * validated beyond that) and finds the top-level
 * `usage` key (the last one, as JSON.parse would); only that object is parsed. Null when the text is
 * not such an object, has no usage object, or the object holds no token counts: the caller then
 * parses the whole reply.
 */
export function scanOpenAiUsage(text: string): Usage | null {
  const length = text.length;
  let i = 0;
  while (i < length && isJsonSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x7b) return null;
  let depth = 0;
  let usageStart = -1;
  let usageEnd = -1;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const open = i;
      for (i++; i < length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
      if (depth === 1 && i - open === 6 && text.startsWith('usage', open + 1)) {
        let j = i + 1;
        while (isJsonSpace(text.charCodeAt(j))) j++;
        if (text.charCodeAt(j) === 0x3a) {
          j++;
          while (isJsonSpace(text.charCodeAt(j))) j++;
          usageStart = text.charCodeAt(j) === 0x7b ? j : -1;
          usageEnd = -1;
        }
      }
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 1 && usageStart >= 0 && usageEnd < 0 && i > usageStart) usageEnd = i;
      if (depth === 0) break;
    }
  }
  if (depth !== 0 || i >= length) return null;
  for (i++; i < length; i++) if (!isJsonSpace(text.charCodeAt(i))) return null;
  if (usageStart < 0 || usageEnd < 0) return null;
  let usage: unknown;
  try {
    usage = JSON.parse(text.slice(usageStart, usageEnd + 1));
  } catch {
    return null;
  }
  const counts = usage as { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown };
  if (typeof counts.prompt_tokens !== 'number' && typeof counts.completion_tokens !== 'number' && typeof counts.total_tokens !== 'number') return null;
  return usageFromOpenAi(usage);
}

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}
