import { assert } from './assert';

/**
 * Double-entry model of Paygate's money. Every account is credit-normal: balance = credits - debits.
 * A settled deposit debits clearing and credits the wallet, a settled withdrawal the reverse, so the sum
 * of all balances is zero at every step. A withdrawal is two-phase: a hold reserves the amount when the
 * request is accepted (available = balance - held), and the bank's answer either posts or voids it.
 *
 * The database applies the same rules in SQL under row locks; this module states them once, purely,
 * so that they can be property-tested and so that a ledger loaded from the database can be checked.
 */

export type AccountKind = 'wallet' | 'clearing';

export interface LedgerAccount {
  readonly id: string;
  readonly kind: AccountKind;
  readonly balanceMinor: bigint;
  readonly heldMinor: bigint;
}

export interface Posting {
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amountMinor: bigint;
}

export interface Ledger {
  readonly accounts: ReadonlyMap<string, LedgerAccount>;
  readonly postings: readonly Posting[];
}

export type LedgerResult = { ok: true; ledger: Ledger } | { ok: false; reason: 'insufficient_available' };

export interface Movement {
  walletId: string;
  clearingId: string;
  amountMinor: bigint;
}

export function emptyLedger(accounts: LedgerAccount[] = []): Ledger {
  return { accounts: new Map(accounts.map((account) => [account.id, account])), postings: [] };
}

export function availableMinor(account: LedgerAccount): bigint {
  return account.balanceMinor - account.heldMinor;
}

/** Money that arrives from the bank (a settled deposit, or an opening balance set by an operator). */
export function settleDeposit(ledger: Ledger, movement: Movement): Ledger {
  return post(ledger, movement.clearingId, movement.walletId, movement.amountMinor, 0n);
}

/** Reserves a withdrawal's amount, or refuses if the wallet cannot cover it. */
export function placeHold(ledger: Ledger, walletId: string, amountMinor: bigint): LedgerResult {
  assert(amountMinor > 0n, 'hold amount must be positive');
  const wallet = account(ledger, walletId, 'wallet');
  if (availableMinor(wallet) < amountMinor) return { ok: false, reason: 'insufficient_available' };
  return { ok: true, ledger: replace(ledger, { ...wallet, heldMinor: wallet.heldMinor + amountMinor }, []) };
}

/** The bank paid the withdrawal out: the held amount leaves the wallet for clearing. */
export function postHold(ledger: Ledger, movement: Movement): Ledger {
  const wallet = account(ledger, movement.walletId, 'wallet');
  assert(wallet.heldMinor >= movement.amountMinor, 'posting more than is held');
  return post(ledger, movement.walletId, movement.clearingId, movement.amountMinor, movement.amountMinor);
}

/** The withdrawal failed: its reservation is released and no money moves. */
export function voidHold(ledger: Ledger, walletId: string, amountMinor: bigint): Ledger {
  assert(amountMinor > 0n, 'void amount must be positive');
  const wallet = account(ledger, walletId, 'wallet');
  assert(wallet.heldMinor >= amountMinor, 'voiding more than is held');
  return replace(ledger, { ...wallet, heldMinor: wallet.heldMinor - amountMinor }, []);
}

export type InvariantViolation =
  | { invariant: 'ledger_sums_to_zero'; sumMinor: bigint }
  | { invariant: 'available_not_negative'; accountId: string; availableMinor: bigint }
  | { invariant: 'held_not_negative'; accountId: string; heldMinor: bigint }
  | { invariant: 'balance_equals_postings'; accountId: string; balanceMinor: bigint; postingsMinor: bigint }
  | { invariant: 'posting_amount_positive'; index: number; amountMinor: bigint }
  | { invariant: 'posting_accounts_known'; index: number };

/** Every rule that must hold at each commit; an empty list means the ledger is sound. */
export function checkInvariants(ledger: Ledger): InvariantViolation[] {
  const violations: InvariantViolation[] = [];
  const fromPostings = new Map<string, bigint>();
  ledger.postings.forEach((posting, index) => {
    if (posting.amountMinor <= 0n) {
      violations.push({ invariant: 'posting_amount_positive', index, amountMinor: posting.amountMinor });
    }
    if (!ledger.accounts.has(posting.debitAccountId) || !ledger.accounts.has(posting.creditAccountId)) {
      violations.push({ invariant: 'posting_accounts_known', index });
    }
    fromPostings.set(posting.debitAccountId, (fromPostings.get(posting.debitAccountId) ?? 0n) - posting.amountMinor);
    fromPostings.set(posting.creditAccountId, (fromPostings.get(posting.creditAccountId) ?? 0n) + posting.amountMinor);
  });
  let sumMinor = 0n;
  for (const account of ledger.accounts.values()) {
    sumMinor += account.balanceMinor;
    const postingsMinor = fromPostings.get(account.id) ?? 0n;
    if (postingsMinor !== account.balanceMinor) {
      violations.push({
        invariant: 'balance_equals_postings',
        accountId: account.id,
        balanceMinor: account.balanceMinor,
        postingsMinor,
      });
    }
    if (account.heldMinor < 0n) {
      violations.push({ invariant: 'held_not_negative', accountId: account.id, heldMinor: account.heldMinor });
    }
    if (account.kind === 'wallet' && availableMinor(account) < 0n) {
      violations.push({
        invariant: 'available_not_negative',
        accountId: account.id,
        availableMinor: availableMinor(account),
      });
    }
  }
  if (sumMinor !== 0n) violations.push({ invariant: 'ledger_sums_to_zero', sumMinor });
  return violations;
}

function post(
  ledger: Ledger,
  debitId: string,
  creditId: string,
  amountMinor: bigint,
  releaseHeldMinor: bigint,
): Ledger {
  assert(amountMinor > 0n, 'posting amount must be positive');
  assert(debitId !== creditId, 'a posting needs two different accounts');
  const debit = account(ledger, debitId);
  const credit = account(ledger, creditId);
  const posting: Posting = { debitAccountId: debitId, creditAccountId: creditId, amountMinor };
  const withDebit = replace(
    ledger,
    { ...debit, balanceMinor: debit.balanceMinor - amountMinor, heldMinor: debit.heldMinor - releaseHeldMinor },
    [],
  );
  return replace(withDebit, { ...credit, balanceMinor: credit.balanceMinor + amountMinor }, [posting]);
}

function account(ledger: Ledger, id: string, kind?: AccountKind): LedgerAccount {
  const found = ledger.accounts.get(id);
  assert(found, `unknown account ${id}`);
  if (kind) assert(found.kind === kind, `account ${id} is not a ${kind}`);
  return found;
}

function replace(ledger: Ledger, updated: LedgerAccount, postings: Posting[]): Ledger {
  const accounts = new Map(ledger.accounts);
  accounts.set(updated.id, updated);
  return { accounts, postings: postings.length === 0 ? ledger.postings : [...ledger.postings, ...postings] };
}
