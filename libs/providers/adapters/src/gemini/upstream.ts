import type { ChatUpstreamAdapter, UpstreamContext } from '@your-api/providers-core';
import { readGeminiError } from './errors';
import { buildGeminiChatRequest } from './upstream-request';
import { geminiResponseToOpenAi } from './upstream-response';
import { GeminiChatStreamConverter } from './upstream-stream';

/** Serves an OpenAI chat request from a Gemini (Generative Language API) upstream. */
export const geminiUpstream: ChatUpstreamAdapter = Object.freeze({
  buildChatRequest: buildGeminiChatRequest,
  convertChatResponse: (json: unknown, ctx: UpstreamContext) => geminiResponseToOpenAi(json, ctx.upstreamModel),
  createChatStreamConverter: (ctx: UpstreamContext) => new GeminiChatStreamConverter(ctx.upstreamModel),
  readError: readGeminiError,
});
