import type { ChatUpstreamAdapter, UpstreamContext } from '@your-api/providers-core';
import { readCohereError } from './errors';
import { buildCohereChatRequest } from './upstream-request';
import { cohereResponseToOpenAi } from './upstream-response';
import { CohereChatStreamConverter } from './upstream-stream';

/** Serves OpenAI chat requests from a Cohere Chat API v2 upstream. */
export const cohereUpstream: ChatUpstreamAdapter = Object.freeze({
  buildChatRequest: buildCohereChatRequest,
  convertChatResponse: cohereResponseToOpenAi,
  createChatStreamConverter: (ctx: UpstreamContext) => new CohereChatStreamConverter(ctx),
  readError: readCohereError,
});
