import type { TransactionType } from '@paygate/domain/transaction-status';

import type { BankConfig } from '../config';
import type { Random } from '../random';
import type { ControlState } from './controls';
import type { Outcome } from './order';

/**
 * Every random draw an order needs, made synchronously when its POST arrives and in a fixed order, so the
 * same BANK_SEED and the same request sequence draw the same scenarios, references, delays and outcomes,
 * whatever the database, the timers or a restart do afterwards.
 */

export type Scenario = 'normal' | 'timeout' | 'unavailable' | 'invalid_request';

export interface OrderDraws {
  bankReference: string;
  settleDelayMs: number;
  plannedOutcome: Outcome;
}

/** Crockford's base32: no I, L, O or U, so a reference read aloud or retyped survives. */
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERENCE_LENGTH = 12;
const FAILURE_REASONS = { deposit: ['declined'], withdrawal: ['insufficient_funds', 'declined'] } as const;

/** Drawn even when a control forces the answer, so switching modes does not shift the later draws. */
export function drawScenario(
  random: Random,
  controls: Readonly<ControlState>,
  isForced503: boolean,
  rates: BankConfig['scenarios'],
): Scenario {
  const draw = random.next();
  if (isForced503) return 'unavailable';
  if (controls.mode === 'always_503') return 'unavailable';
  if (controls.mode === 'invalid_request') return 'invalid_request';
  if (controls.mode === 'hang') return 'timeout';
  if (draw < rates.unavailableRate) return 'unavailable';
  if (draw < rates.unavailableRate + rates.invalidRate) return 'invalid_request';
  if (draw < rates.unavailableRate + rates.invalidRate + rates.timeoutRate) return 'timeout';
  return 'normal';
}

/** Drawn for every order that gets past the scenario, even one that turns out to repeat a key. */
export function drawOrder(random: Random, controls: Readonly<ControlState>, type: TransactionType): OrderDraws {
  const bankReference = drawBankReference(random);
  const settleDelayMs = random.integerBetween(controls.delayMsMin, controls.delayMsMax);
  return { bankReference, settleDelayMs, plannedOutcome: drawOutcome(random, controls, type) };
}

/** 60 random bits: a collision is unlikely, not impossible, and the caller redraws on one. */
export function drawBankReference(random: Random): string {
  let code = '';
  for (let index = 0; index < REFERENCE_LENGTH; index += 1) {
    code += REFERENCE_ALPHABET.charAt(random.integerBetween(0, REFERENCE_ALPHABET.length - 1));
  }
  return `BNK-${code}`;
}

function drawOutcome(random: Random, controls: Readonly<ControlState>, type: TransactionType): Outcome {
  // Both draws always happen, whatever the type or mode, so every order consumes the same number of draws.
  const successDraw = random.next();
  const reason = random.pick(FAILURE_REASONS[type]);
  if (controls.mode === 'always_fail') return { status: 'failed', errorMessage: 'declined' };
  if (successDraw < controls.successRate) return { status: 'success', errorMessage: null };
  return { status: 'failed', errorMessage: reason };
}
