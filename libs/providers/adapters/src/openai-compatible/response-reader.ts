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
