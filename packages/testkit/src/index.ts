export * from './isolated-run';
export * from './services';
