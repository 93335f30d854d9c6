export * from './isolated-run';
export * from './services';
export * from './stack';
export * from './wait';
