import { usageToOpenAi, type OpenAiChatResponse, type OpenAiFinishReason, type OpenAiToolCall } from '@your-api/providers-core';
import { isRecord, randomId } from './json-values';
import { usageFromGemini } from './usage';
import type { GeminiCandidate, GeminiGenerateContentResponse, GeminiUsageMetadata } from './wire-types';

/** What one candidate's parts say, split the way OpenAI splits a message. */
export interface CandidateOutput {
  text: string;
  reasoning: string;
  functionCalls: { name: string; args: unknown }[];
}

/** Reads a candidate's parts defensively: text, thought text (`thought:true`) and function calls. */
export function readCandidateOutput(candidate: GeminiCandidate): CandidateOutput {
  const output: CandidateOutput = { text: '', reasoning: '', functionCalls: [] };
  const parts: unknown = candidate.content?.parts;
  for (const part of Array.isArray(parts) ? (parts as unknown[]) : []) {
    if (!isRecord(part)) continue;
    const call = part.functionCall;
    if (isRecord(call) && typeof call.name === 'string') output.functionCalls.push({ name: call.name, args: call.args ?? {} });
    else if (typeof part.text === 'string' && part.thought === true) output.reasoning += part.text;
    else if (typeof part.text === 'string') output.text += part.text;
  }
  return output;
}

/** Gemini's finishReason in OpenAI terms (protocols.md §3.4); null while a stream is still going. */
export function openAiFinishReason(reason: unknown, calledFunctions: boolean): OpenAiFinishReason | null {
  if (typeof reason !== 'string' || reason === '' || reason === 'FINISH_REASON_UNSPECIFIED') return null;
  if (reason === 'STOP') return calledFunctions ? 'tool_calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  // SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, MALFORMED_FUNCTION_CALL…: New API's default.
  return 'content_filter';
}

export function toolCallFromGemini(call: CandidateOutput['functionCalls'][number]): OpenAiToolCall {
  return { id: randomId('call_'), type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } };
}

export function openAiUsageFromGemini(metadata: unknown): OpenAiChatResponse['usage'] {
  return isRecord(metadata) ? usageToOpenAi(usageFromGemini(metadata as GeminiUsageMetadata)) : undefined;
}

type OpenAiChoice = OpenAiChatResponse['choices'][number];

function choiceFromCandidate(candidate: GeminiCandidate, position: number): OpenAiChoice {
  const output = readCandidateOutput(candidate);
  const toolCalls = output.functionCalls.map(toolCallFromGemini);
  const message: OpenAiChoice['message'] = { role: 'assistant', content: output.text || (toolCalls.length > 0 ? null : '') };
  if (output.reasoning) message.reasoning_content = output.reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const calledFunctions = toolCalls.length > 0;
  // A complete response always ends; a missing reason is read as a normal stop.
  const finishReason = openAiFinishReason(candidate.finishReason, calledFunctions) ?? (calledFunctions ? 'tool_calls' : 'stop');
  return { index: typeof candidate.index === 'number' ? candidate.index : position, message, finish_reason: finishReason };
}

/** A prompt Gemini refused to answer: no candidates, only `promptFeedback.blockReason`. */
function blockedPromptChoice(): OpenAiChoice {
  return { index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'content_filter' };
}

export function isBlockedPrompt(response: GeminiGenerateContentResponse): boolean {
  const candidates: unknown = response.candidates;
  const noCandidates = !Array.isArray(candidates) || candidates.length === 0;
  return noCandidates && isRecord(response.promptFeedback) && typeof response.promptFeedback.blockReason === 'string';
}

export function candidatesOf(response: GeminiGenerateContentResponse): GeminiCandidate[] {
  const candidates: unknown = response.candidates;
  return Array.isArray(candidates) ? ((candidates as unknown[]).filter(isRecord) as GeminiCandidate[]) : [];
}

/** A non-stream GenerateContentResponse as an OpenAI chat completion, one choice per candidate. */
export function geminiResponseToOpenAi(json: unknown, model: string): OpenAiChatResponse {
  const response = (isRecord(json) ? json : {}) as GeminiGenerateContentResponse;
  const choices = isBlockedPrompt(response) ? [blockedPromptChoice()] : candidatesOf(response).map(choiceFromCandidate);
  const completion: OpenAiChatResponse = {
    id: typeof response.responseId === 'string' && response.responseId ? `chatcmpl-${response.responseId}` : randomId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices,
  };
  const usage = openAiUsageFromGemini(response.usageMetadata);
  if (usage) completion.usage = usage;
  return completion;
}
