import type { ChatStreamConverter, SseEvent, Usage, UpstreamContext } from '@your-api/providers-core';
import { OpenAiChunkEmitter, streamErrorPayload } from '../chat-pivot/chunk-emitter';
import { objectField, parseJsonObject, stringField, tokenCount, type JsonObject } from '../chat-pivot/json-fields';
import { toolCallFromCohere } from './upstream-response';
import { finishReasonFromCohere, isCohereFailure, usageFromCohere } from './usage';

/**
 * Cohere v2 chat stream events → OpenAI chunk payloads. Text deltas become `content`; thinking
 * deltas and the tool plan become `reasoning_content`; a tool call starts whole (id, name, first
 * arguments) and its arguments follow in fragments, numbered 0, 1, … in arrival order.
 * message-end carries the finish reason and usage; the usage chunk and [DONE] follow it.
 */
export class CohereChatStreamConverter implements ChatStreamConverter {
  private readonly emitter: OpenAiChunkEmitter;
  /** Cohere content index → whether that part is thinking (content-start says, deltas may not). */
  private readonly thinkingParts = new Set<number>();
  /** Cohere tool-call index → OpenAI tool-call index. */
  private readonly toolIndexes = new Map<number, number>();
  private usage: Usage | null = null;
  private failed = false;
  private done = false;

  constructor(ctx: UpstreamContext) {
    this.emitter = new OpenAiChunkEmitter(ctx.upstreamModel);
  }

  onEvent(event: SseEvent): string[] {
    if (this.done) return [];
    const data = parseJsonObject(event.data);
    if (!data) return [];
    // The JSON's own "type" names the event; the SSE `event:` line is the fallback.
    switch (stringField(data, 'type') || event.event || '') {
      case 'message-start':
        this.emitter.useId(stringField(data, 'id'));
        return [];
      case 'content-start':
        return this.onContent(data, true);
      case 'content-delta':
        return this.onContent(data, false);
      case 'tool-plan-delta':
        return this.emitter.text('reasoning_content', stringField(messageDelta(data), 'tool_plan'));
      case 'tool-call-start':
        return this.onToolCallStart(data);
      case 'tool-call-delta':
        return this.onToolCallDelta(data);
      case 'message-end':
        return this.onMessageEnd(data);
      default:
        // content-end, tool-call-end, citation-start/-end and unknown events carry nothing for OpenAI.
        return [];
    }
  }

  end(): string[] {
    if (this.done) return [];
    const payloads: string[] = [];
    // The stream stopped without message-end: close the reply the client has started reading.
    if (this.emitter.hasStarted && !this.failed) payloads.push(...this.emitter.finish(this.toolIndexes.size > 0 ? 'tool_calls' : 'stop'));
    return [...payloads, ...this.close()];
  }

  private onContent(data: JsonObject, starts: boolean): string[] {
    const index = tokenCount(data.index);
    const content = objectField(messageDelta(data), 'content');
    if (starts && content.type === 'thinking') this.thinkingParts.add(index);
    if (typeof content.thinking === 'string' || this.thinkingParts.has(index)) {
      return this.emitter.text('reasoning_content', stringField(content, 'thinking'));
    }
    return this.emitter.text('content', stringField(content, 'text'));
  }

  private onToolCallStart(data: JsonObject): string[] {
    const index = this.toolIndexes.size;
    this.toolIndexes.set(tokenCount(data.index), index);
    const call = toolCallFromCohere(objectField(messageDelta(data), 'tool_calls'));
    return this.emitter.delta({ tool_calls: [{ index, ...call, function: { name: call.function.name, arguments: rawArguments(data) } }] });
  }

  private onToolCallDelta(data: JsonObject): string[] {
    const index = this.toolIndexes.get(tokenCount(data.index));
    const fragment = rawArguments(data);
    if (index === undefined || !fragment) return [];
    return this.emitter.delta({ tool_calls: [{ index, function: { arguments: fragment } }] });
  }

  private onMessageEnd(data: JsonObject): string[] {
    const delta = objectField(data, 'delta');
    this.usage = usageFromCohere(delta.usage) ?? this.usage;
    const payloads: string[] = [];
    if (isCohereFailure(delta.finish_reason)) {
      this.failed = true;
      payloads.push(streamErrorPayload(`Cohere ended the generation with ${String(delta.finish_reason)}`, 'upstream_error', String(delta.finish_reason)));
    } else {
      payloads.push(...this.emitter.finish(finishReasonFromCohere(delta.finish_reason) ?? (this.toolIndexes.size > 0 ? 'tool_calls' : 'stop')));
    }
    return [...payloads, ...this.close()];
  }

  /** The usage chunk (when Cohere reported usage) and [DONE], once. */
  private close(): string[] {
    this.done = true;
    return this.usage ? [this.emitter.usage(this.usage), '[DONE]'] : ['[DONE]'];
  }
}

function messageDelta(data: JsonObject): JsonObject {
  return objectField(objectField(data, 'delta'), 'message');
}

/** The arguments text of a tool-call event's fragment ('' when absent). */
function rawArguments(data: JsonObject): string {
  const args = objectField(objectField(messageDelta(data), 'tool_calls'), 'function').arguments;
  return typeof args === 'string' ? args : '';
}
