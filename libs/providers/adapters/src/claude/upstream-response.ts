import { usageToOpenAi, type OpenAiChatResponse, type OpenAiToolCall, type UpstreamContext } from '@your-api/providers-core';
import { isObject, stringField, type JsonObject } from './json-guards';
import { finishReasonFromClaude } from './stop-reasons';
import { readClaudeTokenCounts, usageFromClaudeCounts } from './usage';

export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A Claude `tool_use` block as an OpenAI tool call (input serialised back to an arguments string). */
export function toolCallFromToolUse(block: JsonObject): OpenAiToolCall {
  return {
    id: stringField(block, 'id'),
    type: 'function',
    function: { name: stringField(block, 'name'), arguments: JSON.stringify(isObject(block.input) ? block.input : {}) },
  };
}

/**
 * A Claude Message → an OpenAI chat completion: text blocks joined into `content`, thinking into
 * `reasoning_content`, tool_use into `tool_calls`, and usage in OpenAI semantics (prompt includes the cache).
 */
export function claudeMessageToOpenAi(json: unknown, ctx: UpstreamContext): OpenAiChatResponse {
  const message = isObject(json) ? json : {};
  const blocks = (Array.isArray(message.content) ? message.content : []).filter(isObject);
  const text = blocks.filter((block) => block.type === 'text').map((block) => stringField(block, 'text')).join('');
  const reasoning = blocks.filter((block) => block.type === 'thinking').map((block) => stringField(block, 'thinking')).join('');
  const toolCalls = blocks.filter((block) => block.type === 'tool_use').map(toolCallFromToolUse);
  const reply: OpenAiChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
  };
  if (reasoning) reply.reasoning_content = reasoning;
  if (toolCalls.length > 0) reply.tool_calls = toolCalls;
  return {
    id: stringField(message, 'id'),
    object: 'chat.completion',
    created: nowInSeconds(),
    model: ctx.upstreamModel || stringField(message, 'model'),
    choices: [{ index: 0, message: reply, finish_reason: finishReasonFromClaude(message.stop_reason) }],
    usage: usageToOpenAi(usageFromClaudeCounts(readClaudeTokenCounts(message.usage))),
  };
}
