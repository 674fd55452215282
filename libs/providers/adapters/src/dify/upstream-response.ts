import { usageToOpenAi, type OpenAiChatResponse, type UpstreamContext } from '@your-api/providers-core';
import { isObject, nowInSeconds, randomId, stringField, tokenCount } from '../chat-pivot/json-fields';
import { replaceThinkingMarkers } from './thinking-markers';
import { usageFromDifyMetadata } from './usage';

/**
 * A blocking Dify reply → an OpenAI chat completion: `answer` is the content (Dify has no finish
 * reasons: it always reads as "stop"), `metadata.usage` the usage when it counts anything.
 */
export function difyResponseToOpenAi(json: unknown, ctx: UpstreamContext): OpenAiChatResponse {
  const body = isObject(json) ? json : {};
  const completion: OpenAiChatResponse = {
    id: stringField(body, 'message_id') || stringField(body, 'id') || randomId('chatcmpl-'),
    object: 'chat.completion',
    created: tokenCount(body.created_at) || nowInSeconds(),
    model: ctx.upstreamModel,
    choices: [{ index: 0, message: { role: 'assistant', content: replaceThinkingMarkers(stringField(body, 'answer')) }, finish_reason: 'stop' }],
  };
  const usage = usageFromDifyMetadata(body.metadata);
  if (usage) completion.usage = usageToOpenAi(usage);
  return completion;
}
