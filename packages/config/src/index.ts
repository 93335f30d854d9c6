export * from './config-error';
export * from './env-example';
export * from './load-env';
export * from './secrets';
export * from './shared-env';
export * from './variables';
export * from './observability';
export * from './node-runtime';
