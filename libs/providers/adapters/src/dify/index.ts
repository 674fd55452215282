export { difyUpstream } from './upstream';
export { readDifyError } from './errors';
export { difyChatUrl, difyQuery, DIFY_DEFAULT_USER } from './upstream-request';
export { DifyChatStreamConverter } from './upstream-stream';
export type * from './wire-types';
