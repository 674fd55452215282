export { cozeUpstream } from './upstream';
export { readCozeError } from './errors';
export { cozeBotId, cozeChatUrl, cozeWorkflowChatUrl, cozeWorkflowId, COZE_DEFAULT_USER } from './upstream-request';
export { CozeChatStreamConverter } from './upstream-stream';
export { usageFromCoze } from './usage';
export type * from './wire-types';
