import {
  usageToOpenAi,
  type ChatStreamConverter,
  type OpenAiChatChunk,
  type OpenAiFinishReason,
  type SseEvent,
  type UpstreamContext,
} from '@your-api/providers-core';
import { isObject, stringField, tokenCount, type JsonObject } from './json-guards';
import { finishReasonFromClaude } from './stop-reasons';
import { readClaudeTokenCounts, usageFromClaudeCounts, type ClaudeTokenCounts } from './usage';
import { nowInSeconds } from './upstream-response';

type ChunkDelta = OpenAiChatChunk['choices'][number]['delta'];

/**
 * Translates Claude's named-event stream into OpenAI chunk payloads (protocols.md §2.5 "Stream
 * translation"). Tool-use blocks are numbered 0, 1, … in arrival order for `tool_calls[].index`.
 * Usage: input and cache counts from message_start, replaced by message_delta's when > 0; output
 * from message_delta (cumulative). The usage-only chunk goes out once, at message_stop or at end().
 */
export class ClaudeToOpenAiStream implements ChatStreamConverter {
  private id = '';
  private model: string;
  private readonly created = nowInSeconds();
  private counts: ClaudeTokenCounts = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
  private started = false;
  private done = false;
  /** Claude content-block index → OpenAI tool-call index. */
  private readonly toolIndexByBlock = new Map<number, number>();

  constructor(ctx: UpstreamContext) {
    this.model = ctx.upstreamModel;
  }

  onEvent(event: SseEvent): string[] {
    if (this.done) return [];
    const data = parseEventData(event.data);
    if (!data) return [];
    // The JSON's own "type" names the event; the SSE `event:` line is the fallback for proxies that drop it.
    const type = stringField(data, 'type') || event.event || '';
    switch (type) {
      case 'message_start':
        return this.onMessageStart(data);
      case 'content_block_start':
        return this.onBlockStart(data);
      case 'content_block_delta':
        return this.onBlockDelta(data);
      case 'message_delta':
        return this.onMessageDelta(data);
      case 'message_stop':
        return this.finish();
      case 'error':
        return [errorPayload(data)];
      default:
        // ping, content_block_stop and unknown events carry nothing for an OpenAI client.
        return [];
    }
  }

  end(): string[] {
    return this.done ? [] : this.finish();
  }

  private onMessageStart(data: JsonObject): string[] {
    const message = isObject(data.message) ? data.message : {};
    this.id = stringField(message, 'id');
    this.model ||= stringField(message, 'model');
    this.counts = readClaudeTokenCounts(message.usage);
    this.started = true;
    return [this.chunk({ role: 'assistant', content: '' })];
  }

  private onBlockStart(data: JsonObject): string[] {
    const block = isObject(data.content_block) ? data.content_block : {};
    if (block.type === 'tool_use') {
      const index = this.toolIndexByBlock.size;
      this.toolIndexByBlock.set(tokenCount(data.index), index);
      const call = { index, id: stringField(block, 'id'), type: 'function' as const, function: { name: stringField(block, 'name'), arguments: '' } };
      return [this.chunk({ tool_calls: [call] })];
    }
    // Text and thinking blocks start empty in practice; pass on any initial text all the same.
    if (block.type === 'text') return this.textChunk('content', stringField(block, 'text'));
    if (block.type === 'thinking') return this.textChunk('reasoning_content', stringField(block, 'thinking'));
    return [];
  }

  private onBlockDelta(data: JsonObject): string[] {
    const delta = isObject(data.delta) ? data.delta : {};
    switch (delta.type) {
      case 'text_delta':
        return this.textChunk('content', stringField(delta, 'text'));
      case 'thinking_delta':
        return this.textChunk('reasoning_content', stringField(delta, 'thinking'));
      case 'input_json_delta':
        return this.argumentsChunk(tokenCount(data.index), stringField(delta, 'partial_json'));
      default:
        // signature_delta and citations_delta have no OpenAI form.
        return [];
    }
  }

  private onMessageDelta(data: JsonObject): string[] {
    this.mergeUsage(readClaudeTokenCounts(data.usage));
    const delta = isObject(data.delta) ? data.delta : {};
    const finishReason = finishReasonFromClaude(delta.stop_reason);
    return finishReason ? [this.chunk({}, finishReason)] : [];
  }

  private mergeUsage(update: ClaudeTokenCounts): void {
    this.counts = {
      input: update.input || this.counts.input,
      cacheRead: update.cacheRead || this.counts.cacheRead,
      cacheCreation: update.cacheCreation || this.counts.cacheCreation,
      output: update.output || this.counts.output,
    };
  }

  private textChunk(field: 'content' | 'reasoning_content', text: string): string[] {
    return text ? [this.chunk({ [field]: text })] : [];
  }

  private argumentsChunk(blockIndex: number, partialJson: string): string[] {
    const index = this.toolIndexByBlock.get(blockIndex);
    if (index === undefined || !partialJson) return [];
    return [this.chunk({ tool_calls: [{ index, function: { arguments: partialJson } }] })];
  }

  /** The usage-only chunk (when the message started) and [DONE], exactly once. */
  private finish(): string[] {
    this.done = true;
    const payloads: string[] = [];
    if (this.started) {
      const usageChunk: OpenAiChatChunk = { ...this.chunkBase(), choices: [], usage: usageToOpenAi(usageFromClaudeCounts(this.counts)) };
      payloads.push(JSON.stringify(usageChunk));
    }
    payloads.push('[DONE]');
    return payloads;
  }

  private chunkBase(): Pick<OpenAiChatChunk, 'id' | 'object' | 'created' | 'model'> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }

  private chunk(delta: ChunkDelta, finishReason: OpenAiFinishReason | null = null): string {
    const chunk: OpenAiChatChunk = { ...this.chunkBase(), choices: [{ index: 0, delta, finish_reason: finishReason }] };
    return JSON.stringify(chunk);
  }
}

function parseEventData(data: string): JsonObject | null {
  try {
    const parsed: unknown = JSON.parse(data);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Claude's in-stream error as the OpenAI-style `{"error":{…}}` payload OpenAI SDKs raise on. */
function errorPayload(data: JsonObject): string {
  const error = isObject(data.error) ? data.error : {};
  return JSON.stringify({ error: { message: stringField(error, 'message') || 'upstream stream error', type: stringField(error, 'type') || 'api_error' } });
}
