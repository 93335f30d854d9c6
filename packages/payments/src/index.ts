export * from './apply-bank-order';
export * from './apply-bank-webhook';
export * from './create-transaction';
export * from './fail-transaction';
export * from './start-processing';
