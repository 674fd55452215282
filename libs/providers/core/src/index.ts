export * from './usage';
export * from './upstream-error';
export * from './sse';
export * from './openai-chat';
export * from './adapter';
export * from './aws-event-stream';
