export * from './fake-openai';
export * from './proxies';
export * from './fake-claude';
export * from './fake-gemini';
