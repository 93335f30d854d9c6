/**
 * The package's surface for other packages' tests: run the bank in-process. Production imports nothing
 * from here; it runs dist/main.js. The configuration loader is at @paygate/bank-sim/config.
 */
export { startBankSim } from './bank-sim';
export type { BankSim, BankSimDeps } from './bank-sim';
export type { Bank, SubmitOrderResult } from './services/bank';
export type { Order } from './services/order';
export type { WebhookState } from './data-access/webhook-repository';
export type { BankConfig } from './config';
