export { geminiUpstream } from './upstream';
export { geminiClientFormat } from './client-format';
export { geminiErrorStatus, geminiErrorBody, readGeminiError } from './errors';
export { usageFromGemini, usageToGeminiMetadata } from './usage';
export { cleanSchemaForGemini } from './json-schema';
export { geminiApiVersion, geminiChatUrl, GEMINI_DEFAULT_API_VERSION } from './upstream-request';
export type * from './wire-types';
