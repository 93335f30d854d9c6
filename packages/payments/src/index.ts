export * from './apply-bank-order';
export * from './apply-bank-webhook';
export * from './bank-client';
export * from './create-transaction';
export * from './fail-transaction';
export * from './start-processing';
export * from './repairs';
