import { usageFromOpenAi, type OpenAiChatResponse, type OpenAiFinishReason, type OpenAiToolCall } from '@your-api/providers-core';
import { parseArgumentsObject } from './json-values';
import { usageToGeminiMetadata } from './usage';
import type { GeminiCandidate, GeminiGenerateContentResponse, GeminiPart } from './wire-types';

const FINISH_REASONS: Readonly<Record<OpenAiFinishReason, string>> = Object.freeze({
  stop: 'STOP',
  length: 'MAX_TOKENS',
  content_filter: 'SAFETY',
  // A tool call is a normal STOP in Gemini; the functionCall parts say the rest.
  tool_calls: 'STOP',
  function_call: 'STOP',
});

/** An OpenAI finish reason as Gemini's (OTHER for reasons OpenAI does not define). */
export function geminiFinishReason(reason: OpenAiFinishReason | null): string {
  return reason === null ? 'STOP' : (FINISH_REASONS[reason] ?? 'OTHER');
}

export function functionCallPart(call: OpenAiToolCall): GeminiPart {
  return { functionCall: { name: call.function.name, args: parseArgumentsObject(call.function.arguments) } };
}

/** A message's parts in Gemini's order: thoughts, then the answer text, then function calls. */
export function geminiParts(reasoning: string | undefined, text: string | null | undefined, toolCalls: OpenAiToolCall[] | undefined): GeminiPart[] {
  const parts: GeminiPart[] = [];
  if (reasoning) parts.push({ text: reasoning, thought: true });
  if (text) parts.push({ text });
  for (const call of toolCalls ?? []) parts.push(functionCallPart(call));
  return parts;
}

function candidateOf(choice: OpenAiChatResponse['choices'][number]): GeminiCandidate {
  const { message } = choice;
  return {
    content: { role: 'model', parts: geminiParts(message.reasoning_content, message.content, message.tool_calls) },
    finishReason: geminiFinishReason(choice.finish_reason),
    index: choice.index,
  };
}

/** An OpenAI chat completion as a Gemini GenerateContentResponse for a Gemini-format client. */
export function openAiResponseToGemini(response: OpenAiChatResponse, model: string): GeminiGenerateContentResponse {
  const gemini: GeminiGenerateContentResponse = { candidates: response.choices.map(candidateOf) };
  const usage = response.usage ? usageFromOpenAi(response.usage) : null;
  if (usage) gemini.usageMetadata = usageToGeminiMetadata(usage);
  gemini.modelVersion = model;
  gemini.responseId = response.id;
  return gemini;
}
