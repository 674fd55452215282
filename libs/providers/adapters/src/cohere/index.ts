export { cohereUpstream } from './upstream';
export { readCohereError } from './errors';
export { cohereChatUrl, cohereSafetyMode } from './upstream-request';
export { CohereChatStreamConverter } from './upstream-stream';
export { usageFromCohere } from './usage';
export type * from './wire-types';
