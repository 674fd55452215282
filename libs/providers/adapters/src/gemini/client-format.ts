import type { ClientChatFormat } from '@your-api/providers-core';
import { geminiErrorBody } from './errors';
import { geminiRequestToOpenAi } from './client-request';
import { openAiResponseToGemini } from './client-response';
import { GeminiClientStreamWriter } from './client-stream';

/** Serves Gemini-format clients (`POST /v1beta/models/{model}:generateContent|streamGenerateContent`) from the OpenAI pivot. */
export const geminiClientFormat: ClientChatFormat = Object.freeze({
  toOpenAi: geminiRequestToOpenAi,
  fromOpenAiResponse: openAiResponseToGemini,
  createStreamWriter: (model: string, promptTokens: number) => new GeminiClientStreamWriter(model, promptTokens),
  errorBody: geminiErrorBody,
});
