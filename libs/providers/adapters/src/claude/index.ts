export { claudeUpstream } from './upstream-adapter';
export { claudeClientFormat } from './client-format';
export { claudeErrorType, claudeErrorBody, readClaudeError } from './errors';
export { claudeMessagesUrl, defaultClaudeMaxTokens, ANTHROPIC_VERSION } from './upstream-request';
export { ClaudeToOpenAiStream } from './upstream-stream';
export { ClaudeStreamWriter } from './client-stream';
export type * from './wire-types';
