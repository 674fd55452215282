import { randomUUID } from 'node:crypto';
import type { ClientStreamWriter, OpenAiChatChunk, OpenAiToolCallDelta, SseFrame, Usage } from '@your-api/providers-core';
import type { ClaudeBlockDelta, ClaudeMessage, ClaudeResponseBlock, ClaudeStreamEvent } from './wire-types';
import { claudeMessageId } from './client-response';
import { claudeErrorBody } from './errors';
import { stopReasonFromOpenAi } from './stop-reasons';
import { claudeUsageFromUsage } from './usage';

type ChunkDelta = OpenAiChatChunk['choices'][number]['delta'];

type OpenBlock = { index: number; kind: 'thinking' | 'text' } | { index: number; kind: 'tool'; toolIndex: number };

/** A Claude event as an SSE frame named after its `type`, as Anthropic streams them. */
function frame(event: ClaudeStreamEvent): SseFrame {
  return { event: event.type, data: JSON.stringify(event) };
}

/** Some OpenAI-compatible upstreams name the reasoning field `reasoning`. */
function reasoningText(delta: ChunkDelta): string {
  const alternative = (delta as { reasoning?: unknown }).reasoning;
  return delta.reasoning_content || (typeof alternative === 'string' ? alternative : '');
}

/**
 * Writes an OpenAI chunk stream as Claude's event stream, in the order Anthropic's SDKs check
 * (protocols.md §2.4): message_start; per block content_block_start, deltas, content_block_stop
 * (one block open at a time); message_delta with stop_reason and usage; message_stop.
 * The finish reason is held until end(), which receives the usage the relay settled on.
 */
export class ClaudeStreamWriter implements ClientStreamWriter {
  private started = false;
  private ended = false;
  private open: OpenBlock | null = null;
  private nextBlockIndex = 0;
  private finishReason: unknown = null;
  private sawToolUse = false;
  /** Tool calls whose block was closed: Claude cannot reopen a block, so late fragments are dropped. */
  private readonly closedToolIndexes = new Set<number>();

  constructor(
    private readonly model: string,
    private readonly promptTokens: number,
  ) {}

  onChunk(chunk: OpenAiChatChunk): SseFrame[] {
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    // Usage-only chunks (and anything after the end) produce nothing; end() carries the usage.
    if (this.ended || !choice) return [];
    const frames = this.start(chunk.id);
    const delta = choice.delta ?? {};
    frames.push(...this.textFrames('thinking', reasoningText(delta)));
    frames.push(...this.textFrames('text', delta.content || delta.refusal || ''));
    for (const call of delta.tool_calls ?? []) frames.push(...this.toolCallFrames(call));
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return frames;
  }

  end(usage: Usage): SseFrame[] {
    if (this.ended) return [];
    const frames = [...this.start(''), ...this.closeOpenBlock()];
    this.ended = true;
    frames.push(
      frame({
        type: 'message_delta',
        delta: { stop_reason: stopReasonFromOpenAi(this.finishReason, this.sawToolUse), stop_sequence: null },
        usage: claudeUsageFromUsage(usage),
      }),
      frame({ type: 'message_stop' }),
    );
    return frames;
  }

  error(status: number, message: string): SseFrame[] {
    if (this.ended) return [];
    this.ended = true;
    return [frame(claudeErrorBody(status, message))];
  }

  private start(openAiId: string): SseFrame[] {
    if (this.started) return [];
    this.started = true;
    const id = openAiId ? claudeMessageId(openAiId) : `msg_${randomUUID().replaceAll('-', '')}`;
    const message: ClaudeMessage = {
      id,
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: this.promptTokens, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
    return [frame({ type: 'message_start', message })];
  }

  private textFrames(kind: 'thinking' | 'text', text: string): SseFrame[] {
    if (!text) return [];
    const emptyBlock: ClaudeResponseBlock = kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    const frames = this.open?.kind === kind ? [] : this.openBlock(emptyBlock, { kind });
    const delta: ClaudeBlockDelta = kind === 'text' ? { type: 'text_delta', text } : { type: 'thinking_delta', thinking: text };
    frames.push(frame({ type: 'content_block_delta', index: this.openIndex, delta }));
    return frames;
  }

  private toolCallFrames(call: OpenAiToolCallDelta): SseFrame[] {
    const continuing = this.open?.kind === 'tool' && this.open.toolIndex === call.index;
    if (!continuing && this.closedToolIndexes.has(call.index)) return [];
    const frames = continuing
      ? []
      : this.openBlock(
          { type: 'tool_use', id: call.id ?? `toolu_${call.index}`, name: call.function?.name ?? '', input: {} },
          { kind: 'tool', toolIndex: call.index },
        );
    this.sawToolUse = true;
    const partialJson = call.function?.arguments;
    if (partialJson) {
      frames.push(frame({ type: 'content_block_delta', index: this.openIndex, delta: { type: 'input_json_delta', partial_json: partialJson } }));
    }
    return frames;
  }

  /** The open block is always the latest one started. */
  private get openIndex(): number {
    return this.nextBlockIndex - 1;
  }

  /** Closes the open block and starts the next one at the next index. */
  private openBlock(contentBlock: ClaudeResponseBlock, block: { kind: 'thinking' | 'text' } | { kind: 'tool'; toolIndex: number }): SseFrame[] {
    const frames = this.closeOpenBlock();
    const index = this.nextBlockIndex++;
    this.open = { ...block, index };
    frames.push(frame({ type: 'content_block_start', index, content_block: contentBlock }));
    return frames;
  }

  private closeOpenBlock(): SseFrame[] {
    const open = this.open;
    if (!open) return [];
    this.open = null;
    if (open.kind === 'tool') this.closedToolIndexes.add(open.toolIndex);
    return [frame({ type: 'content_block_stop', index: open.index })];
  }
}
