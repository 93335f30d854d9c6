export * from './fail-by-operator';
export * from './reconcile-now';
export * from './repair-result';
export * from './replay-dead-letter';
export * from './retry-submission';
