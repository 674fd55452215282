import { UpstreamError, type OpenAiChatResponse, type OpenAiFinishReason, type OpenAiToolCall } from '@your-api/providers-core';
import { isObject, nowInSeconds, objectField, parseJsonObject, randomId, stringField, type JsonObject } from './json-fields';

type Choice = OpenAiChatResponse['choices'][number];

interface ChoiceParts {
  content: string;
  reasoning: string;
  toolCalls: Map<number, OpenAiToolCall>;
  finishReason: OpenAiFinishReason | null;
}

const FINISH_REASONS: ReadonlySet<string> = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

/**
 * Folds the OpenAI chunk payloads of one stream (what a ChatStreamConverter produced) into one chat
 * completion: content and reasoning concatenated, tool-call fragments joined by index, the last
 * finish reason and usage. For upstreams that answer only in a stream (Coze) when the client did
 * not ask for one. An in-stream error payload throws an UpstreamError with its message.
 */
export function chatCompletionFromChunks(payloads: readonly string[], model: string): OpenAiChatResponse {
  let id = '';
  let created = 0;
  let usage: OpenAiChatResponse['usage'];
  const choices = new Map<number, ChoiceParts>();
  for (const payload of payloads) {
    const chunk = parseJsonObject(payload);
    if (!chunk) continue;
    if (isObject(chunk.error)) throw streamError(chunk.error);
    id ||= stringField(chunk, 'id');
    created ||= typeof chunk.created === 'number' ? chunk.created : 0;
    if (isObject(chunk.usage)) usage = chunk.usage as unknown as OpenAiChatResponse['usage'];
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      if (isObject(choice)) foldChoice(choices, choice);
    }
  }
  const completion: OpenAiChatResponse = {
    id: id || randomId('chatcmpl-'),
    object: 'chat.completion',
    created: created || nowInSeconds(),
    model,
    choices: [...choices.entries()].sort(([a], [b]) => a - b).map(([index, parts]) => toChoice(index, parts)),
  };
  if (completion.choices.length === 0) completion.choices.push(toChoice(0, emptyParts()));
  if (usage) completion.usage = usage;
  return completion;
}

function emptyParts(): ChoiceParts {
  return { content: '', reasoning: '', toolCalls: new Map(), finishReason: null };
}

function foldChoice(choices: Map<number, ChoiceParts>, choice: JsonObject): void {
  const index = typeof choice.index === 'number' ? choice.index : 0;
  let parts = choices.get(index);
  if (!parts) {
    parts = emptyParts();
    choices.set(index, parts);
  }
  const delta = objectField(choice, 'delta');
  parts.content += stringField(delta, 'content');
  parts.reasoning += stringField(delta, 'reasoning_content');
  for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
    if (isObject(call)) foldToolCall(parts.toolCalls, call);
  }
  const reason = choice.finish_reason;
  if (typeof reason === 'string' && FINISH_REASONS.has(reason)) parts.finishReason = reason as OpenAiFinishReason;
}

function foldToolCall(calls: Map<number, OpenAiToolCall>, fragment: JsonObject): void {
  const index = typeof fragment.index === 'number' ? fragment.index : calls.size;
  const call = calls.get(index) ?? { id: '', type: 'function' as const, function: { name: '', arguments: '' } };
  const fn = objectField(fragment, 'function');
  call.id ||= stringField(fragment, 'id');
  call.function.name ||= stringField(fn, 'name');
  call.function.arguments += stringField(fn, 'arguments');
  calls.set(index, call);
}

function toChoice(index: number, parts: ChoiceParts): Choice {
  const toolCalls = [...parts.toolCalls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  const message: Choice['message'] = { role: 'assistant', content: parts.content === '' && toolCalls.length > 0 ? null : parts.content };
  if (parts.reasoning) message.reasoning_content = parts.reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  // A stream that ended without a finish chunk still ended: read it as a normal stop.
  return { index, message, finish_reason: parts.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop') };
}

function streamError(error: JsonObject): UpstreamError {
  const code = error.code;
  return new UpstreamError(
    502,
    'upstream/stream-error',
    stringField(error, 'message') || 'The upstream stream reported an error',
    true,
    stringField(error, 'type'),
    typeof code === 'string' || typeof code === 'number' ? String(code) : '',
  );
}
