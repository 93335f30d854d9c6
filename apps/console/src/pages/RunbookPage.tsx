import { Link } from 'react-router';

import { STUCK_PAYMENTS_PATH, WAITING_DEAD_LETTERS_PATH } from '../paths';

/**
 * The four situations an operator meets most, each with short steps and links to the console pages that
 * answer them. The README's runbook carries the same steps with the commands behind them.
 */
export function RunbookPage() {
  return (
    <>
      <title>Runbook · Paygate Console</title>
      <div className="page-header">
        <h1 tabIndex={-1}>Runbook</h1>
      </div>
      <p className="muted">
        What to look at, in order, when something is wrong. Every action asks for a reason and is audited.
      </p>
      <div className="runbook">
        <section className="card" id="stuck-payments" aria-labelledby="rb-stuck">
          <h2 id="rb-stuck" className="card__title">
            Payments are stuck (pending or processing too long)
          </h2>
          <ol className="steps">
            <li>
              On the <Link to="/">overview</Link>, check that workers are alive and their breaker is closed, and that
              the outbox is not growing. No worker or an open breaker: see <a href="#bank-down">bank down</a>.
            </li>
            <li>
              Open the <Link to={STUCK_PAYMENTS_PATH}>stuck payments</Link> and one payment&apos;s story: the last entry
              says where it stopped (not published, no bank answer, no webhook).
            </li>
            <li>
              Processing with a bank reference: <strong>Reconcile now</strong> asks the bank and applies its answer.
              Pending and never submitted: <strong>Retry submission</strong>.
            </li>
            <li>
              Only when the bank confirms it will not execute the order: <strong>Fail payment</strong> (a
              withdrawal&apos;s hold is released).
            </li>
          </ol>
        </section>
        <section className="card" id="bank-down" aria-labelledby="rb-bank">
          <h2 id="rb-bank" className="card__title">
            The bank is down or slow
          </h2>
          <ol className="steps">
            <li>
              On the <Link to="/">overview</Link>, an open breaker on the workers and story entries “Bank answered 503”
              or timeouts confirm it. Payments wait; they do not fail until the retry horizon (30 min by default).
            </li>
            <li>Do not fail or retry payments by hand while the bank is down: the workers retry by themselves.</li>
            <li>
              When the bank is back, the breaker half-opens and closes; watch{' '}
              <Link to={STUCK_PAYMENTS_PATH}>stuck payments</Link> drain, then reconcile any left.
            </li>
          </ol>
        </section>
        <section className="card" id="dlq-growing" aria-labelledby="rb-dlq">
          <h2 id="rb-dlq" className="card__title">
            Dead letters are growing
          </h2>
          <ol className="steps">
            <li>
              Open the <Link to={WAITING_DEAD_LETTERS_PATH}>dead letters waiting replay</Link> and read the reasons: one
              reason many times is one cause.
            </li>
            <li>Open a payment&apos;s story from its dead letter to see the attempts that led there.</li>
            <li>
              Fix the cause first (bank refusal, bad configuration), then <strong>Replay</strong> with a reason. A
              payment that is already final is not replayed: the console says why.
            </li>
          </ol>
        </section>
        <section className="card" id="ledger-drift" aria-labelledby="rb-ledger">
          <h2 id="rb-ledger" className="card__title">
            The ledger drifts
          </h2>
          <ol className="steps">
            <li>
              Open the <Link to="/ledger">ledger check</Link>: it names each account whose cached balance or hold
              differs, and any negative available balance.
            </li>
            <li>Stop repairs that move money (fail, retry) until the cause is known.</li>
            <li>
              For each account, open the user and their recent payments, and the <Link to="/audit">audit log</Link> for
              recent operator actions on them.
            </li>
            <li>
              Escalate to engineering with the account ids and request ids: drift is a bug, never fixed by hand in SQL.
            </li>
          </ol>
        </section>
      </div>
    </>
  );
}
