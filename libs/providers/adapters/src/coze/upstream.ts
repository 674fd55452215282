import type { ChatUpstreamAdapter, UpstreamContext } from '@your-api/providers-core';
import { readCozeError } from './errors';
import { buildCozeChatRequest } from './upstream-request';
import { cozeResponseToOpenAi } from './upstream-response';
import { CozeChatStreamConverter } from './upstream-stream';

/**
 * Serves OpenAI chat requests from a Coze v3 bot. The upstream call always streams (see
 * toCozeChatRequest): a non-stream client needs the relay to fold the stream into one completion.
 */
export const cozeUpstream: ChatUpstreamAdapter = Object.freeze({
  buildChatRequest: buildCozeChatRequest,
  convertChatResponse: cozeResponseToOpenAi,
  createChatStreamConverter: (ctx: UpstreamContext) => new CozeChatStreamConverter(ctx),
  readError: readCozeError,
});
