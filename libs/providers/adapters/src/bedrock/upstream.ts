import type { ChatUpstreamAdapter, ProviderErrorDetail, UpstreamContext } from '@your-api/providers-core';
import { readClaudeError } from '../claude/errors';
import { claudeMessageToOpenAi } from '../claude/upstream-response';
import { ClaudeToOpenAiStream } from '../claude/upstream-stream';
import { buildBedrockChatRequest } from './upstream-request';

/**
 * Bedrock's own errors are `{"message": …}` (`Message` from some services), the error type only in
 * the `x-amzn-errortype` header; a model error passed through keeps Anthropic's shape.
 */
export function readBedrockError(json: unknown): ProviderErrorDetail {
  const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const message = body.message ?? body.Message;
  if (typeof message === 'string' && message) return { message, type: '', code: '' };
  return readClaudeError(json);
}

/**
 * Serves OpenAI chat from Claude on AWS Bedrock: Anthropic's Messages format inside Bedrock's
 * envelope. Non-stream answers are Claude Messages; the stream's events are Claude's, carried in
 * AWS event-stream frames that the relay unwraps (AwsEventStreamReader) before this converter.
 */
export const bedrockUpstream: ChatUpstreamAdapter = Object.freeze({
  buildChatRequest: buildBedrockChatRequest,
  convertChatResponse: claudeMessageToOpenAi,
  createChatStreamConverter: (ctx: UpstreamContext) => new ClaudeToOpenAiStream(ctx),
  readError: readBedrockError,
});
