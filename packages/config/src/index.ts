export * from './config-error';
export * from './load-env';
export * from './secrets';
export * from './variables';
export * from './observability';
