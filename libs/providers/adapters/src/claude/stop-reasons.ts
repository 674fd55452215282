import type { OpenAiFinishReason } from '@your-api/providers-core';
import type { ClaudeStopReason } from './wire-types';

/** protocols.md §2.5 (New API's reasonmap); pause_turn is a paused server-tool turn, closest to "stop". */
const FINISH_REASON_BY_STOP_REASON: Readonly<Record<ClaudeStopReason, OpenAiFinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

const STOP_REASON_BY_FINISH_REASON: Readonly<Record<OpenAiFinishReason, ClaudeStopReason>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

/** A Claude stop_reason as an OpenAI finish_reason; null stays null, an unknown reason reads as "stop". */
export function finishReasonFromClaude(stopReason: unknown): OpenAiFinishReason | null {
  if (stopReason === null || stopReason === undefined) return null;
  return Object.hasOwn(FINISH_REASON_BY_STOP_REASON, String(stopReason))
    ? FINISH_REASON_BY_STOP_REASON[stopReason as ClaudeStopReason]
    : 'stop';
}

/**
 * An OpenAI finish_reason as a Claude stop_reason (end_turn when absent or unknown). A reply that
 * carries tool calls says tool_use even when the upstream said "stop", because Claude clients
 * decide whether to run tools from it.
 */
export function stopReasonFromOpenAi(finishReason: unknown, hasToolCalls: boolean): ClaudeStopReason {
  const mapped = Object.hasOwn(STOP_REASON_BY_FINISH_REASON, String(finishReason))
    ? STOP_REASON_BY_FINISH_REASON[finishReason as OpenAiFinishReason]
    : 'end_turn';
  return hasToolCalls && mapped === 'end_turn' ? 'tool_use' : mapped;
}
