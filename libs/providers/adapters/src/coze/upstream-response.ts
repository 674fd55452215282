import { UpstreamError, type OpenAiChatResponse, type UpstreamContext } from '@your-api/providers-core';
import { isObject, nowInSeconds, randomId, stringField, tokenCount, type JsonObject } from '../chat-pivot/json-fields';

/** Coze's `{code, msg}` failure (sent with HTTP 200 as often as not) as a retryable upstream error. */
export function cozeFailure(body: JsonObject): UpstreamError | null {
  const code = body.code;
  if (code === undefined || code === 0 || code === '0') return null;
  const message = stringField(body, 'msg') || stringField(body, 'message') || 'Coze reported an error';
  return new UpstreamError(502, 'upstream/coze-error', `Coze error ${String(code)}: ${message}`, true, '', String(code));
}

const isAnswer = (message: JsonObject) => message.type === 'answer' && (message.role === undefined || message.role === 'assistant');

/**
 * A non-stream Coze body → an OpenAI chat completion. The adapter always asks for a stream, so a
 * JSON body is normally a `{code, msg}` failure, which throws. A `/v3/chat/message/list` reply
 * (what a polling relay would fetch, as New API does) is read as the bot's answer messages; it
 * carries no usage, so the relay counts tokens itself. A bare chat object (a non-stream create,
 * still `in_progress`) has no reply to read and throws.
 */
export function cozeResponseToOpenAi(json: unknown, ctx: UpstreamContext): OpenAiChatResponse {
  const body = isObject(json) ? json : {};
  const failure = cozeFailure(body);
  if (failure) throw failure;
  if (!Array.isArray(body.data)) {
    throw new UpstreamError(502, 'upstream/coze-not-streamed', 'Coze answered without a stream; its reply would have to be polled for', true);
  }
  const answers = body.data.filter(isObject).filter(isAnswer);
  const reasoning = answers.map((message) => stringField(message, 'reasoning_content')).join('');
  const message: OpenAiChatResponse['choices'][number]['message'] = { role: 'assistant', content: answers.map((m) => stringField(m, 'content')).join('') };
  if (reasoning) message.reasoning_content = reasoning;
  return {
    id: (answers[0] && stringField(answers[0], 'chat_id')) || randomId('chatcmpl-'),
    object: 'chat.completion',
    created: (answers[0] && tokenCount(answers[0].created_at)) || nowInSeconds(),
    model: ctx.upstreamModel,
    choices: [{ index: 0, message, finish_reason: 'stop' }],
  };
}
