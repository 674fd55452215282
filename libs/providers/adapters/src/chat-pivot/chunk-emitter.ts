import { usageToOpenAi, type OpenAiChatChunk, type OpenAiFinishReason, type Usage } from '@your-api/providers-core';
import { nowInSeconds, randomId } from './json-fields';

export type ChunkDelta = OpenAiChatChunk['choices'][number]['delta'];

/**
 * Writes the OpenAI chunk payloads of one single-choice stream: the same id, `created` and model on
 * every chunk, the assistant role on the first delta, one finish, and the usage-only chunk. The
 * stream converters of upstreams without choices of their own (Cohere, Dify, Coze) share it.
 */
export class OpenAiChunkEmitter {
  private id = '';
  private readonly created = nowInSeconds();
  private started = false;
  private finished = false;

  constructor(private readonly model: string) {}

  /** Adopts the upstream's id for the chunks that follow, unless one was already sent. */
  useId(id: string): void {
    if (id && !this.started) this.id = id;
  }

  /** Whether a delta or finish chunk went out. */
  get hasStarted(): boolean {
    return this.started;
  }

  get hasFinished(): boolean {
    return this.finished;
  }

  /** One delta chunk; empty deltas are not worth a chunk. */
  delta(delta: ChunkDelta): string[] {
    if (Object.keys(delta).length === 0) return [];
    return [this.chunk(delta, null)];
  }

  /** A text delta on `content` or `reasoning_content`, none when the text is empty. */
  text(field: 'content' | 'reasoning_content', text: string): string[] {
    return text ? this.delta({ [field]: text }) : [];
  }

  /** The finish chunk, at most once. */
  finish(reason: OpenAiFinishReason): string[] {
    if (this.finished) return [];
    this.finished = true;
    return [this.chunk({}, reason)];
  }

  /** The usage-only chunk (`choices: []`) OpenAI sends last when asked for usage. */
  usage(usage: Usage): string {
    return JSON.stringify({ ...this.envelope([]), usage: usageToOpenAi(usage) });
  }

  private chunk(delta: ChunkDelta, finishReason: OpenAiFinishReason | null): string {
    const fullDelta: ChunkDelta = this.started ? delta : { role: 'assistant', ...delta };
    this.started = true;
    return JSON.stringify(this.envelope([{ index: 0, delta: fullDelta, finish_reason: finishReason }]));
  }

  private envelope(choices: OpenAiChatChunk['choices']): OpenAiChatChunk {
    this.id ||= randomId('chatcmpl-');
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices };
  }
}

/** An in-stream upstream error as the OpenAI-style `{"error":{…}}` payload OpenAI SDKs raise on. */
export function streamErrorPayload(message: string, type: string, code = ''): string {
  const error: Record<string, string> = { message: message || 'upstream stream error', type: type || 'upstream_error' };
  if (code) error.code = code;
  return JSON.stringify({ error });
}
