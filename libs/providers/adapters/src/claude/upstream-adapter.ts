import type { ChatUpstreamAdapter } from '@your-api/providers-core';
import { readClaudeError } from './errors';
import { claudeMessagesUrl, claudeRequestHeaders, toClaudeMessagesRequest } from './upstream-request';
import { claudeMessageToOpenAi } from './upstream-response';
import { ClaudeToOpenAiStream } from './upstream-stream';

/** Serves OpenAI chat requests from an Anthropic Messages upstream. */
export const claudeUpstream: ChatUpstreamAdapter = {
  buildChatRequest: (request, ctx) => ({
    url: claudeMessagesUrl(ctx.baseUrl),
    headers: claudeRequestHeaders(ctx),
    body: JSON.stringify(toClaudeMessagesRequest(request, ctx)),
  }),
  convertChatResponse: claudeMessageToOpenAi,
  createChatStreamConverter: (ctx) => new ClaudeToOpenAiStream(ctx),
  readError: readClaudeError,
};
