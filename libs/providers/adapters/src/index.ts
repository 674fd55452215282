export * from './default-base-urls';
export * from './openai-compatible/endpoints';
export * from './openai-compatible/chat-stream-observer';
export * from './openai-compatible/response-reader';
