import { FinishReason, mapOpenAiFinishReason, Usage, usageFromOpenAi } from '@your-api/providers-core';

export interface ChatStreamObserverOptions {
  /** Whether the client asked for the final usage chunk (stream_options.include_usage). */
  clientWantsUsage: boolean;
  /** Receives generated text as it streams, for local counting when the upstream sends no usage. */
  onText?: (text: string) => void;
}

export interface StreamStep {
  /** `data:` payloads to send to the client now, in order, one SSE frame each. */
  forward: string[];
  /** True once the upstream sent `[DONE]`. */
  done: boolean;
}

interface ChunkChoice {
  delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown; tool_calls?: unknown; function_call?: unknown; refusal?: unknown };
  text?: unknown;
  finish_reason?: unknown;
}

interface Chunk {
  choices?: ChunkChoice[] | null;
  usage?: unknown;
  error?: unknown;
}

const nonEmpty = (value: unknown): boolean =>
  (typeof value === 'string' && value.length > 0) || (Array.isArray(value) && value.length > 0) || (typeof value === 'object' && value !== null && !Array.isArray(value));

/**
 * Watches an OpenAI chat/completions SSE stream event by event. It forwards each event's data
 * unchanged as its own frame (never merged), except:
 * - events before the first content are held back, so an empty reply can still be retried
 *   elsewhere before the client has seen anything (Your API's empty-reply retry);
 * - the final usage-only chunk is dropped when the gateway, not the client, asked for it.
 * It records usage, the finish reason and whether any content or tool call arrived.
 */
export class ChatStreamObserver {
  private held: string[] = [];
  private started = false;
  private usage: Usage | null = null;
  private finishReason: FinishReason | null = null;
  private done = false;
  private upstreamError: unknown = null;
  private sawContent = false;

  constructor(private readonly options: ChatStreamObserverOptions) {}

  onEvent(data: string): StreamStep {
    if (data === '[DONE]') {
      this.done = true;
      // With nothing ever started, stay silent: the caller decides between retry and flush.
      return { forward: this.started ? ['[DONE]'] : [], done: true };
    }
    let chunk: Chunk;
    try {
      chunk = JSON.parse(data) as Chunk;
    } catch {
      // Not JSON (a provider comment or keep-alive): pass it on untouched once started.
      return this.emit(data, false);
    }
    if (chunk.error) {
      this.upstreamError = chunk.error;
      return this.emit(data, true);
    }
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    if (chunk.usage && typeof chunk.usage === 'object') this.usage = usageFromOpenAi(chunk.usage);
    let hasContent = false;
    for (const choice of choices) {
      const delta = choice.delta;
      const text = typeof choice.text === 'string' ? choice.text : typeof delta?.content === 'string' ? delta.content : '';
      const reasoning =
        typeof delta?.reasoning_content === 'string' ? delta.reasoning_content : typeof delta?.reasoning === 'string' ? delta.reasoning : '';
      if (text) this.options.onText?.(text);
      if (reasoning) this.options.onText?.(reasoning);
      if (text || reasoning || nonEmpty(delta?.tool_calls) || nonEmpty(delta?.function_call) || (typeof delta?.refusal === 'string' && delta.refusal)) {
        hasContent = true;
      }
      const reason = mapOpenAiFinishReason(choice.finish_reason);
      if (reason) this.finishReason = reason;
    }
    if (hasContent) this.sawContent = true;
    const usageOnly = choices.length === 0 && chunk.usage !== undefined && chunk.usage !== null;
    if (usageOnly && !this.options.clientWantsUsage) return { forward: [], done: false };
    return this.emit(data, hasContent);
  }

  private emit(data: string, startsContent: boolean): StreamStep {
    if (this.started) return { forward: [data], done: false };
    this.held.push(data);
    if (!startsContent) return { forward: [], done: false };
    this.started = true;
    const forward = this.held;
    this.held = [];
    return { forward, done: false };
  }

  /** Whether anything has been sent to the client (after which a retry is no longer possible). */
  get hasStarted(): boolean {
    return this.started;
  }

  /** Releases held events (stream ended without content and no retry will happen). */
  flushHeld(): string[] {
    const forward = this.held;
    this.held = [];
    if (forward.length > 0 || this.done) this.started = true;
    return this.done ? [...forward, '[DONE]'] : forward;
  }

  get result(): { usage: Usage | null; finishReason: FinishReason | null; sawContent: boolean; sawDone: boolean; upstreamError: unknown } {
    return {
      usage: this.usage,
      finishReason: this.finishReason,
      sawContent: this.sawContent,
      sawDone: this.done,
      upstreamError: this.upstreamError,
    };
  }
}
