export * from './midjourney';
