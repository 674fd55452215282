import type { ChatUpstreamAdapter, UpstreamContext } from '@your-api/providers-core';
import { readDifyError } from './errors';
import { buildDifyChatRequest } from './upstream-request';
import { difyResponseToOpenAi } from './upstream-response';
import { DifyChatStreamConverter } from './upstream-stream';

/** Serves OpenAI chat requests from a Dify chat app (chatbot, agent or chatflow) upstream. */
export const difyUpstream: ChatUpstreamAdapter = Object.freeze({
  buildChatRequest: buildDifyChatRequest,
  convertChatResponse: difyResponseToOpenAi,
  createChatStreamConverter: (ctx: UpstreamContext) => new DifyChatStreamConverter(ctx),
  readError: readDifyError,
});
