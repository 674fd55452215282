import type { ClientChatFormat } from '@your-api/providers-core';
import { claudeRequestToOpenAi } from './client-request';
import { openAiResponseToClaude } from './client-response';
import { ClaudeStreamWriter } from './client-stream';
import { claudeErrorBody } from './errors';

/** Serves Claude-format clients (`POST /v1/messages`) from the OpenAI pivot. */
export const claudeClientFormat: ClientChatFormat = {
  toOpenAi: (body) => claudeRequestToOpenAi(body),
  fromOpenAiResponse: openAiResponseToClaude,
  createStreamWriter: (model, promptTokens) => new ClaudeStreamWriter(model, promptTokens),
  errorBody: claudeErrorBody,
};
