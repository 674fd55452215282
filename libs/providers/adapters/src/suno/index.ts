export * from './suno';
