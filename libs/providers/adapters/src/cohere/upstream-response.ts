import { UpstreamError, usageToOpenAi, type OpenAiChatResponse, type OpenAiToolCall, type UpstreamContext } from '@your-api/providers-core';
import { isObject, nowInSeconds, objectField, randomId, stringField, type JsonObject } from '../chat-pivot/json-fields';
import { finishReasonFromCohere, isCohereFailure, usageFromCohere } from './usage';

/** A Cohere tool call as OpenAI's; Cohere v2 already sends arguments as a JSON string. */
export function toolCallFromCohere(call: JsonObject): OpenAiToolCall {
  const fn = objectField(call, 'function');
  const args = fn.arguments;
  return {
    id: stringField(call, 'id') || randomId('call_'),
    type: 'function',
    function: { name: stringField(fn, 'name'), arguments: typeof args === 'string' ? args : JSON.stringify(isObject(args) ? args : {}) },
  };
}

/**
 * A Cohere v2 chat reply → an OpenAI chat completion: text parts joined into `content`, thinking
 * parts and the tool plan into `reasoning_content`, tool calls as they are. A generation Cohere
 * reports as ERROR or TIMEOUT is a failure (502, another channel may do better), not a reply.
 */
export function cohereResponseToOpenAi(json: unknown, ctx: UpstreamContext): OpenAiChatResponse {
  const body = isObject(json) ? json : {};
  if (isCohereFailure(body.finish_reason)) {
    throw new UpstreamError(502, 'upstream/generation-failed', `Cohere ended the generation with ${String(body.finish_reason)}`, true);
  }
  const message = objectField(body, 'message');
  const parts = (Array.isArray(message.content) ? message.content : []).filter(isObject);
  const text = parts.filter((part) => part.type === 'text').map((part) => stringField(part, 'text')).join('');
  const thinking = parts.filter((part) => part.type === 'thinking').map((part) => stringField(part, 'thinking')).join('');
  const reasoning = thinking + stringField(message, 'tool_plan');
  const toolCalls = (Array.isArray(message.tool_calls) ? message.tool_calls : []).filter(isObject).map(toolCallFromCohere);
  const reply: OpenAiChatResponse['choices'][number]['message'] = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
  if (reasoning) reply.reasoning_content = reasoning;
  if (toolCalls.length > 0) reply.tool_calls = toolCalls;
  const completion: OpenAiChatResponse = {
    id: stringField(body, 'id') || randomId('chatcmpl-'),
    object: 'chat.completion',
    created: nowInSeconds(),
    model: ctx.upstreamModel,
    choices: [{ index: 0, message: reply, finish_reason: finishReasonFromCohere(body.finish_reason) ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop') }],
  };
  const usage = usageFromCohere(body.usage);
  if (usage) completion.usage = usageToOpenAi(usage);
  return completion;
}
