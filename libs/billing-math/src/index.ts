export * from './constants';
export * from './defaults';
export * from './ratios';
export * from './quota';
export * from './usage-quota';
