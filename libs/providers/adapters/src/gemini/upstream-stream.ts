import {
  usageToOpenAi,
  type ChatStreamConverter,
  type OpenAiChatChunk,
  type OpenAiFinishReason,
  type SseEvent,
  type Usage,
} from '@your-api/providers-core';
import { isRecord, randomId } from './json-values';
import { usageFromGemini } from './usage';
import { candidatesOf, isBlockedPrompt, openAiFinishReason, readCandidateOutput, toolCallFromGemini, type CandidateOutput } from './upstream-response';
import type { GeminiCandidate, GeminiGenerateContentResponse, GeminiUsageMetadata } from './wire-types';

type Delta = OpenAiChatChunk['choices'][number]['delta'];

/** Per candidate: whether its first chunk (with the role) went out, calls so far, and whether it finished. */
interface ChoiceState {
  started: boolean;
  toolCalls: number;
  finished: boolean;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Gemini `alt=sse` chunks → OpenAI chat chunks. Gemini sends complete function calls (never
 * fragments), running usage totals on every chunk (the last one wins) and neither event names nor
 * `[DONE]`: the stream just ends, so `end()` sends the usage chunk and `[DONE]`.
 */
export class GeminiChatStreamConverter implements ChatStreamConverter {
  private id: string | null = null;
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly choices = new Map<number, ChoiceState>();
  private usage: Usage | null = null;
  private sawError = false;
  private done = false;

  constructor(private readonly model: string) {}

  onEvent(event: SseEvent): string[] {
    if (this.done) return [];
    const json = parseJson(event.data);
    // The array form is what the non-SSE stream endpoint answers; accept it too.
    const responses: unknown[] = Array.isArray(json) ? json : [json];
    return responses.flatMap((response) => this.onResponse(response));
  }

  end(): string[] {
    if (this.done) return [];
    this.done = true;
    const payloads = this.sawError ? [] : this.finishOpenChoices();
    if (this.usage) payloads.push(this.usageChunk(this.usage));
    payloads.push('[DONE]');
    return payloads;
  }

  private onResponse(json: unknown): string[] {
    if (!isRecord(json)) return [];
    if (isRecord(json.error)) return [this.errorPayload(json.error)];
    const response = json as GeminiGenerateContentResponse;
    this.id ??= typeof response.responseId === 'string' && response.responseId ? `chatcmpl-${response.responseId}` : randomId('chatcmpl-');
    if (isRecord(response.usageMetadata)) this.usage = usageFromGemini(response.usageMetadata as GeminiUsageMetadata);
    if (isBlockedPrompt(response)) return [this.chunk(0, {}, 'content_filter')];
    return candidatesOf(response).flatMap((candidate, position) => this.onCandidate(candidate, position));
  }

  private onCandidate(candidate: GeminiCandidate, position: number): string[] {
    const index = typeof candidate.index === 'number' ? candidate.index : position;
    const state = this.stateOf(index);
    const payloads: string[] = [];
    const delta = this.deltaOf(readCandidateOutput(candidate), state);
    if (delta) payloads.push(this.chunk(index, delta, null));
    const reason = openAiFinishReason(candidate.finishReason, state.toolCalls > 0);
    if (reason) payloads.push(this.chunk(index, {}, reason));
    return payloads;
  }

  /** The delta for one candidate's parts, or null when they carry nothing (e.g. an empty final text). */
  private deltaOf(output: CandidateOutput, state: ChoiceState): Delta | null {
    const delta: Delta = {};
    if (output.text) delta.content = output.text;
    if (output.reasoning) delta.reasoning_content = output.reasoning;
    if (output.functionCalls.length > 0) {
      delta.tool_calls = output.functionCalls.map((call) => {
        const { id, type, function: fn } = toolCallFromGemini(call);
        return { index: state.toolCalls++, id, type, function: fn };
      });
    }
    return Object.keys(delta).length > 0 ? delta : null;
  }

  /**
   * The stream ended without a finishReason for a choice that started: close it so clients see
   * a finished message (a cut connection reaches the relay as an error, not as this end).
   */
  private finishOpenChoices(): string[] {
    const payloads: string[] = [];
    for (const [index, state] of this.choices) {
      if (state.started && !state.finished) payloads.push(this.chunk(index, {}, state.toolCalls > 0 ? 'tool_calls' : 'stop'));
    }
    return payloads;
  }

  private stateOf(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = { started: false, toolCalls: 0, finished: false };
      this.choices.set(index, state);
    }
    return state;
  }

  /** One chunk for one choice; the choice's first chunk also carries the assistant role. */
  private chunk(index: number, delta: Delta, finishReason: OpenAiFinishReason | null): string {
    const state = this.stateOf(index);
    const fullDelta: Delta = state.started ? delta : { role: 'assistant', ...delta };
    state.started = true;
    if (finishReason) state.finished = true;
    return JSON.stringify(this.envelope([{ index, delta: fullDelta, finish_reason: finishReason }]));
  }

  private usageChunk(usage: Usage): string {
    return JSON.stringify({ ...this.envelope([]), usage: usageToOpenAi(usage) });
  }

  private envelope(choices: OpenAiChatChunk['choices']): OpenAiChatChunk {
    this.id ??= randomId('chatcmpl-');
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices };
  }

  private errorPayload(error: Record<string, unknown>): string {
    this.sawError = true;
    const message = typeof error.message === 'string' ? error.message : 'upstream stream error';
    const type = typeof error.status === 'string' ? error.status : 'upstream_error';
    return JSON.stringify({ error: { message, type } });
  }
}
