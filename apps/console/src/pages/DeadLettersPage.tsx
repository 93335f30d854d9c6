import type { DeadLetterWire, RepairResultWire } from '@paygate/contracts';
import { Pagination, problemOf, StatusBadge, useCursorStack } from '@paygate/ui';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { RepairRefusedError } from '../api/client';
import { Problem } from '../components/Problem';
import { RawData } from '../components/RawData';
import { ReasonDialog } from '../components/ReasonDialog';
import { ResultNote } from '../components/ResultNote';
import { Time } from '../components/Time';
import { paymentPath } from '../paths';
import type { DeadLetterState } from '../queries';
import { useDeadLetters, useReplayDeadLetter } from '../queries';
import { useCanAct } from '../session';

const STATES: Record<DeadLetterState, string> = { all: 'All', waiting: 'Waiting replay', replayed: 'Replayed' };

function readState(value: string | null): DeadLetterState {
  return value === 'waiting' || value === 'replayed' ? value : 'all';
}

/**
 * Messages the worker gave up on, with the reason, the payment and what was done since. Replaying puts
 * the message back on its queue; the API refuses (and says why) when the payment is already final.
 */
export function DeadLettersPage() {
  const [params, setParams] = useSearchParams();
  const state = readState(params.get('state'));
  const [result, setResult] = useState<RepairResultWire | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  return (
    <>
      <title>Dead letters · Paygate Console</title>
      <div className="page-header page-header--split">
        <h1 tabIndex={-1}>Dead letters</h1>
        <div className="field field--inline">
          <label htmlFor="dead-letter-state">Show</label>
          <select
            id="dead-letter-state"
            value={state}
            data-testid="dead-letter-state"
            onChange={(event) => setParams(event.target.value === 'all' ? {} : { state: event.target.value })}
          >
            {Object.entries(STATES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {result !== null && <ResultNote result={result} testId="replay-result" />}
      {refusal !== null && (
        <div className="result" role="status" data-testid="replay-result" data-outcome="refused">
          <p data-testid="replay-result-message">{refusal}</p>
        </div>
      )}
      <DeadLetterPages
        key={state}
        state={state}
        onResult={(answer) => {
          setRefusal(null);
          setResult(answer);
        }}
        onRefused={(message) => {
          setResult(null);
          setRefusal(message);
        }}
      />
    </>
  );
}

function DeadLetterPages({
  state,
  onResult,
  onRefused,
}: {
  state: DeadLetterState;
  onResult: (result: RepairResultWire) => void;
  /** A 409 repair_refused still marked the letter handled: the answer belongs on the page, not in the dialog. */
  onRefused: (message: string) => void;
}) {
  const pager = useCursorStack();
  const page = useDeadLetters(state, pager.cursor);
  const canAct = useCanAct();
  const replay = useReplayDeadLetter();
  const [replaying, setReplaying] = useState<DeadLetterWire | null>(null);
  const data = page.data;
  const busy = page.isFetching;
  return (
    <section className="card" aria-busy={busy} aria-label="Dead letters">
      {page.isError && (
        <Problem error={page.error} testId="dead-letters-error" onRetry={() => void page.refetch()} retrying={busy} />
      )}
      {data === undefined ? (
        !page.isError && <p className="muted">Loading dead letters…</p>
      ) : data.items.length === 0 ? (
        <p className="empty" data-testid="dead-letters-empty">
          No dead letters{state === 'all' ? '' : ` ${STATES[state].toLowerCase()}`}.
        </p>
      ) : (
        <ul className="dead-letters" data-testid="dead-letters">
          {data.items.map((letter) => (
            <li
              key={letter.id}
              className="dead-letter"
              data-testid="dead-letter"
              data-dead-letter-id={letter.id}
              data-replayed={letter.replayed_at !== null}
            >
              <div className="dead-letter__head">
                <span className="dead-letter__id">#{letter.id}</span>
                {letter.transaction_id === null ? (
                  <span className="muted">no payment</span>
                ) : (
                  <Link to={paymentPath(letter.transaction_id)} data-testid="dead-letter-payment">
                    Payment #{letter.transaction_id}
                  </Link>
                )}
                {letter.payment_status !== null && <StatusBadge status={letter.payment_status} />}
                <span className="dead-letter__time">
                  <Time iso={letter.dead_lettered_at} />
                </span>
              </div>
              <p className="dead-letter__reason" data-testid="dead-letter-reason">
                {letter.reason}
              </p>
              <div className="dead-letter__foot">
                {letter.replayed_at === null ? (
                  <span className="tag tag--warning" data-testid="dead-letter-state-tag">
                    {isFinal(letter) ? 'Waiting: payment is final' : 'Waiting replay'}
                  </span>
                ) : (
                  <span className="tag tag--ok" data-testid="dead-letter-state-tag">
                    Replayed <Time iso={letter.replayed_at} />
                    {letter.replay_outcome !== null && ` · ${letter.replay_outcome}`}
                  </span>
                )}
                {canAct && letter.replayed_at === null && (
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    data-testid="dead-letter-replay"
                    onClick={() => {
                      replay.reset();
                      setReplaying(letter);
                    }}
                  >
                    Replay
                  </button>
                )}
              </div>
              <RawData data={{ payload: letter.payload, headers: letter.headers }} label="Message and headers" />
            </li>
          ))}
        </ul>
      )}
      {data !== undefined && (
        <Pagination
          canPrevious={pager.canPrevious}
          canNext={data.has_more && data.next_cursor !== null}
          busy={busy}
          onPrevious={pager.previous}
          onNext={() => pager.next(data.next_cursor)}
          pageNumber={pager.pageNumber}
        >
          Page {pager.pageNumber} · {data.items.length} shown
        </Pagination>
      )}
      {replaying !== null && (
        <ReasonDialog
          title={`Replay dead letter #${replaying.id}`}
          description={
            isFinal(replaying) ? (
              <p data-testid="replay-dialog-final">
                Payment #{replaying.transaction_id} is already {replaying.payment_status}, so nothing is sent to the
                bank again: replaying marks this dead letter handled, with your reason in the audit log.
              </p>
            ) : (
              <p>
                The message goes back on its queue and the worker handles it again
                {replaying.transaction_id === null ? '' : ` for payment #${replaying.transaction_id}`}. If the payment
                is already final, Paygate refuses and says why.
              </p>
            )
          }
          confirmLabel="Replay"
          pending={replay.isPending}
          error={replay.error}
          testId="replay-dialog"
          onCancel={() => setReplaying(null)}
          onConfirm={(reason) =>
            replay.mutate(
              { id: replaying.id, reason },
              {
                onSuccess: (result) => {
                  setReplaying(null);
                  onResult(result);
                },
                onError: (error) => {
                  if (!(error instanceof RepairRefusedError)) return;
                  const problem = problemOf(error);
                  setReplaying(null);
                  onRefused(
                    (problem.kind === 'forbidden' ? problem.message : null) ??
                      'Not replayed; the dead letter is marked handled.',
                  );
                },
              },
            )
          }
        />
      )}
    </section>
  );
}

function isFinal(letter: DeadLetterWire): boolean {
  return letter.payment_status === 'success' || letter.payment_status === 'failed';
}
