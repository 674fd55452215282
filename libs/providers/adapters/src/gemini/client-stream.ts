import type { ClientStreamWriter, OpenAiChatChunk, OpenAiFinishReason, OpenAiToolCall, OpenAiToolCallDelta, SseFrame, Usage } from '@your-api/providers-core';
import { geminiErrorBody } from './errors';
import { geminiFinishReason, geminiParts } from './client-response';
import { usageToGeminiMetadata } from './usage';
import type { GeminiCandidate, GeminiGenerateContentResponse, GeminiPart } from './wire-types';

/**
 * Writes an OpenAI chunk stream as Gemini `alt=sse` frames (data only, no event names, no
 * `[DONE]`). Text and thoughts go out as they arrive; tool calls stream in fragments on the
 * OpenAI side but Gemini sends each call whole, so their fragments are gathered and sent as
 * functionCall parts when the choice finishes (or at the end). The last frame carries the
 * finish reason and `usageMetadata`, as Gemini's own last chunk does.
 */
export class GeminiClientStreamWriter implements ClientStreamWriter {
  private readonly pendingCalls = new Map<number, Map<number, OpenAiToolCall>>();
  private readonly finishReasons = new Map<number, OpenAiFinishReason>();
  private readonly choiceIndexes = new Set<number>();
  private responseId = '';
  private ended = false;

  constructor(
    private readonly model: string,
    /** The gateway's prompt estimate, used when the final usage has no prompt count. */
    private readonly promptTokens: number,
  ) {}

  onChunk(chunk: OpenAiChatChunk): SseFrame[] {
    if (this.ended) return [];
    if (!this.responseId && chunk.id) this.responseId = chunk.id;
    const candidates: GeminiCandidate[] = [];
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      const candidate = this.candidateOfChoice(choice);
      if (candidate) candidates.push(candidate);
    }
    return candidates.length > 0 ? [this.frame({ candidates })] : [];
  }

  end(usage: Usage): SseFrame[] {
    if (this.ended) return [];
    this.ended = true;
    const indexes = this.choiceIndexes.size > 0 ? [...this.choiceIndexes] : [0];
    const candidates = indexes.map((index) => this.finalCandidate(index));
    const promptTokens = usage.promptTokens || this.promptTokens;
    return [this.frame({ candidates, usageMetadata: usageToGeminiMetadata({ ...usage, promptTokens }) })];
  }

  error(status: number, message: string): SseFrame[] {
    return [{ data: JSON.stringify(geminiErrorBody(status, message)) }];
  }

  /** The candidate one OpenAI choice delta becomes, or null when it has nothing to show yet. */
  private candidateOfChoice(choice: OpenAiChatChunk['choices'][number]): GeminiCandidate | null {
    const { index, delta } = choice;
    this.choiceIndexes.add(index);
    this.collectToolCalls(index, delta?.tool_calls);
    const parts = geminiParts(delta?.reasoning_content, delta?.content, undefined);
    if (choice.finish_reason) {
      this.finishReasons.set(index, choice.finish_reason);
      parts.push(...this.takeFunctionCallParts(index));
    }
    return parts.length > 0 ? { content: { role: 'model', parts }, index } : null;
  }

  private finalCandidate(index: number): GeminiCandidate {
    const calls = this.takeFunctionCallParts(index);
    return {
      // Gemini's own last chunk carries an empty text part beside the finish reason.
      content: { role: 'model', parts: calls.length > 0 ? calls : [{ text: '' }] },
      finishReason: geminiFinishReason(this.finishReasons.get(index) ?? null),
      index,
    };
  }

  private collectToolCalls(choiceIndex: number, deltas: OpenAiToolCallDelta[] | undefined): void {
    if (!Array.isArray(deltas)) return;
    let calls = this.pendingCalls.get(choiceIndex);
    if (!calls) {
      calls = new Map();
      this.pendingCalls.set(choiceIndex, calls);
    }
    for (const delta of deltas) {
      const call = calls.get(delta.index) ?? { id: '', type: 'function', function: { name: '', arguments: '' } };
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.function.name = delta.function.name;
      if (delta.function?.arguments) call.function.arguments += delta.function.arguments;
      calls.set(delta.index, call);
    }
  }

  /** The gathered calls of a choice as functionCall parts, in call order; they are sent once. */
  private takeFunctionCallParts(choiceIndex: number): GeminiPart[] {
    const calls = this.pendingCalls.get(choiceIndex);
    this.pendingCalls.delete(choiceIndex);
    if (!calls) return [];
    const ordered = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    return geminiParts(undefined, undefined, ordered);
  }

  private frame(body: Pick<GeminiGenerateContentResponse, 'candidates' | 'usageMetadata'>): SseFrame {
    const response: GeminiGenerateContentResponse = { ...body, modelVersion: this.model, responseId: this.responseId };
    return { data: JSON.stringify(response) };
  }
}
