// Goal: whatever sequence of deposits, holds, posts and voids happens, the ledger stays sound.
// Method: a fast-check model run of random operations against the pure ledger, checking every invariant
// after each step, plus unit cases for the refusals.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

import type { Ledger, LedgerAccount } from '../src';
import { availableMinor, checkInvariants, emptyLedger, placeHold, postHold, settleDeposit, voidHold } from '../src';

const CLEARING: LedgerAccount = { id: 'clearing', kind: 'clearing', balanceMinor: 0n, heldMinor: 0n };
const wallet = (id: string): LedgerAccount => ({ id, kind: 'wallet', balanceMinor: 0n, heldMinor: 0n });

describe('ledger postings', () => {
  test('when a deposit settles, then clearing is debited and the wallet credited', () => {
    const ledger = settleDeposit(emptyLedger([CLEARING, wallet('w1')]), {
      walletId: 'w1',
      clearingId: 'clearing',
      amountMinor: 500n,
    });
    expect(ledger.accounts.get('w1')?.balanceMinor).toBe(500n);
    expect(ledger.accounts.get('clearing')?.balanceMinor).toBe(-500n);
    expect(ledger.postings).toEqual([{ debitAccountId: 'clearing', creditAccountId: 'w1', amountMinor: 500n }]);
    expect(checkInvariants(ledger)).toEqual([]);
  });

  test('when a hold exceeds the available balance, then it is refused and nothing changes', () => {
    const funded = settleDeposit(emptyLedger([CLEARING, wallet('w1')]), {
      walletId: 'w1',
      clearingId: 'clearing',
      amountMinor: 1_000n,
    });
    const held = placeHold(funded, 'w1', 600n);
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    expect(placeHold(held.ledger, 'w1', 401n)).toEqual({ ok: false, reason: 'insufficient_available' });
    expect(availableMinor(held.ledger.accounts.get('w1') as LedgerAccount)).toBe(400n);
  });

  test('when a hold is posted, then the money leaves the wallet; when voided, it is available again', () => {
    const funded = settleDeposit(emptyLedger([CLEARING, wallet('w1')]), {
      walletId: 'w1',
      clearingId: 'clearing',
      amountMinor: 1_000n,
    });
    const held = placeHold(funded, 'w1', 300n);
    if (!held.ok) throw new Error('hold refused');
    const posted = postHold(held.ledger, { walletId: 'w1', clearingId: 'clearing', amountMinor: 300n });
    expect(posted.accounts.get('w1')).toMatchObject({ balanceMinor: 700n, heldMinor: 0n });
    const voided = voidHold(held.ledger, 'w1', 300n);
    expect(voided.accounts.get('w1')).toMatchObject({ balanceMinor: 1_000n, heldMinor: 0n });
    expect(checkInvariants(posted)).toEqual([]);
    expect(checkInvariants(voided)).toEqual([]);
  });

  test('when a cached balance drifts from the postings, then the check reports it', () => {
    const ledger = settleDeposit(emptyLedger([CLEARING, wallet('w1')]), {
      walletId: 'w1',
      clearingId: 'clearing',
      amountMinor: 100n,
    });
    const drifted: Ledger = {
      ...ledger,
      accounts: new Map(ledger.accounts).set('w1', { ...wallet('w1'), balanceMinor: 101n }),
    };
    const invariants = checkInvariants(drifted).map((violation) => violation.invariant);
    expect(invariants).toContain('balance_equals_postings');
    expect(invariants).toContain('ledger_sums_to_zero');
  });

  test('when a wallet holds more than its balance, then the check reports a negative available', () => {
    const broken: Ledger = emptyLedger([CLEARING, { ...wallet('w1'), heldMinor: 1n }]);
    expect(checkInvariants(broken)).toEqual([
      { invariant: 'available_not_negative', accountId: 'w1', availableMinor: -1n },
    ]);
  });

  type Operation =
    | { kind: 'deposit'; wallet: number; amountMinor: bigint }
    | { kind: 'withdraw'; wallet: number; amountMinor: bigint }
    | { kind: 'settle'; pick: number; success: boolean };

  const operation: fc.Arbitrary<Operation> = fc.oneof(
    fc.record({
      kind: fc.constant('deposit' as const),
      wallet: fc.nat(3),
      amountMinor: fc.bigInt({ min: 1n, max: 50_000n }),
    }),
    fc.record({
      kind: fc.constant('withdraw' as const),
      wallet: fc.nat(3),
      amountMinor: fc.bigInt({ min: 1n, max: 50_000n }),
    }),
    fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), success: fc.boolean() }),
  );

  test('property: any sequence of operations keeps every invariant after every step', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        const walletIds = ['w0', 'w1', 'w2', 'w3'];
        let ledger = emptyLedger([CLEARING, ...walletIds.map(wallet)]);
        const openHolds: { walletId: string; amountMinor: bigint }[] = [];
        for (const step of operations) {
          if (step.kind === 'deposit') {
            ledger = settleDeposit(ledger, {
              walletId: walletIds[step.wallet] as string,
              clearingId: 'clearing',
              amountMinor: step.amountMinor,
            });
          } else if (step.kind === 'withdraw') {
            const walletId = walletIds[step.wallet] as string;
            const before = availableMinor(ledger.accounts.get(walletId) as LedgerAccount);
            const held = placeHold(ledger, walletId, step.amountMinor);
            expect(held.ok).toBe(before >= step.amountMinor);
            if (held.ok) {
              ledger = held.ledger;
              openHolds.push({ walletId, amountMinor: step.amountMinor });
            }
          } else if (openHolds.length > 0) {
            const [hold] = openHolds.splice(step.pick % openHolds.length, 1);
            if (!hold) continue;
            ledger = step.success
              ? postHold(ledger, { walletId: hold.walletId, clearingId: 'clearing', amountMinor: hold.amountMinor })
              : voidHold(ledger, hold.walletId, hold.amountMinor);
          }
          expect(checkInvariants(ledger)).toEqual([]);
        }
        for (const walletId of walletIds) {
          const heldMinor = openHolds
            .filter((hold) => hold.walletId === walletId)
            .reduce((sum, hold) => sum + hold.amountMinor, 0n);
          expect(ledger.accounts.get(walletId)?.heldMinor).toBe(heldMinor);
        }
      }),
      { numRuns: 300 },
    );
  });
});
