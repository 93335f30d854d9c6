import { Router } from 'express';

import { BankControl } from '@paygate/contracts';
import type { BankControl as BankControlWire } from '@paygate/contracts';

import type { Bank } from '../../services/bank';
import type { ControlState } from '../../services/controls';
import { BankHttpError } from './errors';
import { firstIssue } from './order-wire';

/**
 * GET /control shows the switches; POST /control changes them. Mounted behind requireLoopback and
 * authenticateMerchant: a caller must be on this machine and hold the merchant's credential.
 */
export function controlRoutes(bank: Bank): Router {
  const router = Router();
  router.get('/control', (_request, response) => {
    response.json(encodeControlState(bank.controls.state));
  });
  router.post('/control', async (request, response) => {
    const parsed = BankControl.safeParse(request.body);
    if (!parsed.success) throw new BankHttpError('invalid_request', firstIssue(parsed.error));
    const result = await bank.applyControl(parsed.data);
    if (!result.ok) throw new BankHttpError('invalid_request', result.message);
    response.json(encodeControlState(result.state));
  });
  return router;
}

/** The state has every switch set; `reset` is a command, not a state. */
export type BankControlState = Required<Omit<BankControlWire, 'reset'>>;

export function encodeControlState(state: Readonly<ControlState>): BankControlState {
  return {
    mode: state.mode,
    drop_webhooks: state.dropWebhooks,
    duplicate_webhooks: state.duplicateWebhooks,
    out_of_order: state.outOfOrder,
    fail_next_requests_with_503: state.failNextRequestsWith503,
    min_delay_ms: state.delayMsMin,
    max_delay_ms: state.delayMsMax,
    success_rate: state.successRate,
  };
}
