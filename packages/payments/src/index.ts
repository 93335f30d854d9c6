export * from './apply-bank-webhook';
