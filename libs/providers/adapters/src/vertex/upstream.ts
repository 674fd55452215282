import type { ChatUpstreamAdapter, ProviderErrorDetail, UpstreamContext } from '@your-api/providers-core';
import { readClaudeError } from '../claude/errors';
import { claudeMessageToOpenAi } from '../claude/upstream-response';
import { ClaudeToOpenAiStream } from '../claude/upstream-stream';
import { readGeminiError } from '../gemini/errors';
import { geminiResponseToOpenAi } from '../gemini/upstream-response';
import { GeminiChatStreamConverter } from '../gemini/upstream-stream';
import { buildVertexChatRequest, isVertexClaudeModel } from './upstream-request';

/**
 * Vertex answers errors in Google's shape `{error:{code,message,status}}`, Claude's publisher
 * endpoint sometimes in Anthropic's `{type:"error",error:{type,message}}`: read whichever it is.
 */
export function readVertexError(json: unknown): ProviderErrorDetail {
  const google = readGeminiError(json);
  if (google.type || google.code) return google;
  const anthropic = readClaudeError(json);
  return anthropic.message || anthropic.type ? anthropic : google;
}

/**
 * Serves OpenAI chat from Vertex AI: Gemini models through the Gemini converters, Claude models
 * (`claude-*`) through the Claude converters; the model decides which.
 */
export const vertexUpstream: ChatUpstreamAdapter = Object.freeze({
  buildChatRequest: buildVertexChatRequest,
  convertChatResponse: (json: unknown, ctx: UpstreamContext) =>
    isVertexClaudeModel(ctx.upstreamModel) ? claudeMessageToOpenAi(json, ctx) : geminiResponseToOpenAi(json, ctx.upstreamModel),
  createChatStreamConverter: (ctx: UpstreamContext) =>
    isVertexClaudeModel(ctx.upstreamModel) ? new ClaudeToOpenAiStream(ctx) : new GeminiChatStreamConverter(ctx.upstreamModel),
  readError: readVertexError,
});
