export * from './enums';
export * from './envelope';
export * from './entities';
export * from './channels';
export * from './pricing';
export * from './redemptions';
export * from './payments';
