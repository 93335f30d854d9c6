// The parser sits on the hot path of POST /deposits. `npx vitest bench --run` in packages/domain compares
// it with JSON.parse on a typical body (about 40 bytes) and on a webhook-sized one.
import { bench, describe } from 'vitest';

import { parseStrictJson } from '../src';

const DEPOSIT_BODY = '{"amount":"100.50","currency":"USD"}';
const DEPOSIT_BODY_WITH_NUMBER = '{"amount":100.5,"currency":"USD"}';
const WEBHOOK_BODY = JSON.stringify({
  transaction_id: 424242,
  bank_reference: 'BNK-9F3K2Q7M',
  status: 'success',
  error_message: null,
  order_key: '6f1d2c3b-4a5e-4f60-9a7b-8c9d0e1f2a3b',
  amount: '100.50',
  currency: 'USD',
  timestamp: 1795774534,
  signature: '3f1c1a0e5a8d2b7c9e4f6a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d',
});

describe(`deposit body, ${DEPOSIT_BODY.length} bytes`, () => {
  bench('JSON.parse', () => {
    JSON.parse(DEPOSIT_BODY);
  });
  bench('parseStrictJson', () => {
    parseStrictJson(DEPOSIT_BODY);
  });
});

describe(`deposit body with a number amount, ${DEPOSIT_BODY_WITH_NUMBER.length} bytes`, () => {
  bench('JSON.parse', () => {
    JSON.parse(DEPOSIT_BODY_WITH_NUMBER);
  });
  bench('parseStrictJson', () => {
    parseStrictJson(DEPOSIT_BODY_WITH_NUMBER);
  });
});

describe(`webhook body, ${WEBHOOK_BODY.length} bytes`, () => {
  bench('JSON.parse', () => {
    JSON.parse(WEBHOOK_BODY);
  });
  bench('parseStrictJson', () => {
    parseStrictJson(WEBHOOK_BODY);
  });
});
