export * from './usage';
export * from './upstream-error';
export * from './sse';
