import { usageFromOpenAi, ZERO_USAGE, type OpenAiChatResponse, type OpenAiToolCall } from '@your-api/providers-core';
import { parseToolInput } from './json-guards';
import { stopReasonFromOpenAi } from './stop-reasons';
import { claudeUsageFromUsage } from './usage';
import type { ClaudeMessage, ClaudeResponseBlock, ClaudeToolUseBlock } from './wire-types';

/** `chatcmpl-abc` → `msg_abc`: the same suffix, so logs of both sides can be matched. */
export function claudeMessageId(openAiId: string): string {
  if (openAiId.startsWith('msg_')) return openAiId;
  return `msg_${openAiId.replace(/^[A-Za-z]+-/, '') || 'gateway'}`;
}

export function toolUseFromToolCall(call: OpenAiToolCall): ClaudeToolUseBlock {
  return { type: 'tool_use', id: call.id, name: call.function.name, input: parseToolInput(call.function.arguments) };
}

/** An OpenAI chat completion as a Claude Message: thinking, then text, then tool_use blocks. */
export function openAiResponseToClaude(response: OpenAiChatResponse, model: string): ClaudeMessage {
  const choice = response.choices[0];
  const message = choice?.message;
  const content: ClaudeResponseBlock[] = [];
  if (message?.reasoning_content) content.push({ type: 'thinking', thinking: message.reasoning_content, signature: '' });
  const text = typeof message?.content === 'string' && message.content ? message.content : (message?.refusal ?? '');
  if (text) content.push({ type: 'text', text });
  const toolUses = (message?.tool_calls ?? []).map(toolUseFromToolCall);
  content.push(...toolUses);
  // Claude clients expect at least one block.
  if (content.length === 0) content.push({ type: 'text', text: '' });
  return {
    id: claudeMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReasonFromOpenAi(choice?.finish_reason, toolUses.length > 0),
    stop_sequence: null,
    usage: claudeUsageFromUsage(usageFromOpenAi(response.usage) ?? ZERO_USAGE),
  };
}
