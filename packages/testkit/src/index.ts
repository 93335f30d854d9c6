export * from './isolated-run';
export * from './processes';
export * from './services';
export * from './stack';
export * from './wait';
