export * from './fake-openai';
export * from './proxies';
