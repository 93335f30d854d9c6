import type { PaymentStoryWire, RepairAction, RepairResultWire, StoryEntryWire, StoryKind } from '@paygate/contracts';
import { formatAmountText, problemOf, StatusBadge, TYPE_LABELS } from '@paygate/ui';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';

import { MaybeTime, Time } from '../components/Time';
import { Problem } from '../components/Problem';
import { RawData } from '../components/RawData';
import { ReasonDialog } from '../components/ReasonDialog';
import { ResultNote } from '../components/ResultNote';
import { parseEntityId } from '../filters';
import { auditPathFor, userPath } from '../paths';
import { usePaymentStory, useRepair } from '../queries';
import { useCanAct } from '../session';
import { NotFoundPage } from './NotFoundPage';

export const STORY_KIND_LABELS: Record<StoryKind, string> = {
  request: 'Request',
  transition: 'Status change',
  outbox_published: 'Published',
  bank_attempt: 'Bank attempt',
  webhook: 'Webhook',
  webhook_rejected: 'Webhook rejected',
  posting: 'Ledger posting',
  dead_letter: 'Dead letter',
  operator_action: 'Operator action',
  delivery: 'Outgoing delivery',
};

interface RepairCopy {
  label: string;
  title: string;
  description: string;
  tone: 'primary' | 'danger';
}

const REPAIRS: Record<RepairAction, RepairCopy> = {
  reconcile: {
    label: 'Reconcile now',
    title: 'Reconcile with the bank',
    description:
      'Paygate asks the bank for this order now and applies what the bank says (success or failure). Nothing changes if the bank has no answer yet.',
    tone: 'primary',
  },
  retry: {
    label: 'Retry submission',
    title: 'Retry the submission to the bank',
    description: 'The payment is sent to the bank again with the same order key, so the bank cannot execute it twice.',
    tone: 'primary',
  },
  fail: {
    label: 'Fail payment',
    title: 'Fail this payment',
    description:
      'The payment becomes failed for good and a withdrawal’s hold is released. Do this only when the bank confirmed it will not execute the order.',
    tone: 'danger',
  },
};

/** One payment's whole story: what it is, why it failed, everything that happened to it, and its repairs. */
export function PaymentStoryPage() {
  const { id: idText } = useParams();
  const id = parseEntityId(idText);
  if (id === null) return <NotFoundPage />;
  return <PaymentStory key={id} id={id} />;
}

function PaymentStory({ id }: { id: number }) {
  const story = usePaymentStory(id);
  return (
    <>
      <title>{`Payment #${id} · Paygate Console`}</title>
      <p className="breadcrumb">
        <Link to="/payments">Payments</Link> / #{id}
      </p>
      {story.isError && (
        <Problem
          error={story.error}
          testId="story-error"
          onRetry={() => void story.refetch()}
          retrying={story.isFetching}
          message={problemOf(story.error).kind === 'not_found' ? `There is no payment #${id}.` : undefined}
        />
      )}
      {story.data === undefined ? (
        !story.isError && (
          <>
            <h1 tabIndex={-1}>Payment #{id}</h1>
            <p className="muted">Loading the payment…</p>
          </>
        )
      ) : (
        <StoryBody data={story.data} />
      )}
    </>
  );
}

function StoryBody({ data }: { data: PaymentStoryWire }) {
  const { payment } = data;
  const [result, setResult] = useState<RepairResultWire | null>(null);
  return (
    <div className="story-page" data-testid="payment-story" data-payment-id={payment.id} data-status={payment.status}>
      <div className="page-header page-header--split">
        <div className="story-title">
          <h1 tabIndex={-1}>
            {TYPE_LABELS[payment.type]} #{payment.id}
          </h1>
          <p className="story-title__amount" data-testid="story-amount">
            {formatAmountText(payment.amount, payment.currency)}
          </p>
          <StatusBadge status={payment.status} />
        </div>
        <p className="page-header__links">
          <Link to={auditPathFor({ paymentId: payment.id })}>Audit log for this payment</Link>
        </p>
      </div>

      {result !== null && <ResultNote result={result} testId="repair-result" />}
      <Repairs paymentId={payment.id} available={data.available_repairs} onResult={setResult} />

      {data.failure !== null && (
        <section className="card card--failure" aria-labelledby="failure-title" data-testid="story-failure">
          <h2 id="failure-title" className="card__title">
            Why it failed <code className="failure__code">{data.failure.code}</code>
          </h2>
          <div className="failure">
            <div className="failure__side">
              <h3>What the user reads</h3>
              <p data-testid="failure-user-message">{data.failure.user_message ?? <span className="muted">—</span>}</p>
            </div>
            <div className="failure__side">
              <h3>Operator detail</h3>
              <p className="mono" data-testid="failure-operator-detail">
                {data.failure.operator_detail ?? <span className="muted">—</span>}
              </p>
            </div>
          </div>
        </section>
      )}
      <section className="card" aria-labelledby="facts-title">
        <h2 id="facts-title" className="card__title">
          Facts
        </h2>
        <dl className="facts facts--wide" data-testid="story-facts">
          <Fact label="Amount" testId="fact-amount">
            {formatAmountText(payment.amount, payment.currency)} ({payment.currency})
          </Fact>
          <Fact label="Status" testId="fact-status">
            <StatusBadge status={payment.status} />
          </Fact>
          <Fact label="User" testId="fact-user">
            <Link to={userPath(data.user.id)}>{data.user.email}</Link> <span className="muted">#{data.user.id}</span>
          </Fact>
          <Fact label="Bank reference" testId="fact-bank-reference" mono>
            {payment.bank_reference}
          </Fact>
          <Fact label="Order key (bank idempotency key)" testId="fact-order-key" mono>
            {payment.bank_order_key}
          </Fact>
          <Fact label="Request id" testId="fact-request-id" mono>
            {payment.request_id}
          </Fact>
          <Fact label="Idempotency key" testId="fact-idempotency-key" mono>
            {payment.idempotency_key}
          </Fact>
          <Fact label="Bank attempts" testId="fact-bank-attempts">
            {data.bank_attempt_count}
          </Fact>
          <Fact label="Created" testId="fact-created">
            <Time iso={payment.created_at} />
          </Fact>
          <Fact label="Submitted to the bank" testId="fact-submitted">
            <MaybeTime iso={payment.submitted_at} none="not yet" />
          </Fact>
          <Fact label="Last change" testId="fact-updated">
            <Time iso={payment.updated_at} />
          </Fact>
          <Fact label="Completed" testId="fact-completed">
            <MaybeTime iso={payment.completed_at} none="not yet" />
          </Fact>
        </dl>
      </section>

      <section className="card" aria-labelledby="story-title">
        <div className="card__header">
          <h2 id="story-title" className="card__title">
            Story
          </h2>
          <p className="muted">{data.story.length} entries, oldest first</p>
        </div>
        <Story entries={data.story} />
      </section>
    </div>
  );
}

function Repairs({
  paymentId,
  available,
  onResult,
}: {
  paymentId: number;
  available: readonly RepairAction[];
  onResult: (result: RepairResultWire) => void;
}) {
  const canAct = useCanAct();
  const repair = useRepair(paymentId);
  const [open, setOpen] = useState<RepairAction | null>(null);
  if (available.length === 0) return null;
  if (!canAct) {
    return (
      <p className="alert alert--info" data-testid="repairs-viewer-note">
        Repairs apply to this payment ({available.map((action) => REPAIRS[action].label.toLowerCase()).join(', ')}), but
        your role is viewer: ask an operator.
      </p>
    );
  }
  const copy = open === null ? null : REPAIRS[open];
  return (
    <section className="card repairs" aria-labelledby="repairs-title" data-testid="repairs">
      <h2 id="repairs-title" className="card__title">
        Repairs
      </h2>
      <div className="repairs__buttons">
        {available.map((action) => (
          <button
            key={action}
            type="button"
            className={`button ${REPAIRS[action].tone === 'danger' ? 'button--danger-outline' : 'button--secondary'}`}
            data-testid={`repair-${action}`}
            onClick={() => {
              repair.reset();
              setOpen(action);
            }}
          >
            {REPAIRS[action].label}
          </button>
        ))}
      </div>
      {open !== null && copy !== null && (
        <ReasonDialog
          title={copy.title}
          description={<p>{copy.description}</p>}
          confirmLabel={copy.label}
          tone={copy.tone}
          pending={repair.isPending}
          error={repair.error}
          testId="repair-dialog"
          onCancel={() => setOpen(null)}
          onConfirm={(reason) =>
            repair.mutate(
              { action: open, reason },
              {
                onSuccess: (result) => {
                  setOpen(null);
                  onResult(result);
                },
              },
            )
          }
        />
      )}
    </section>
  );
}

/** The entries in time order (stable: entries of the same instant keep the API's order). */
export function sortStory(entries: readonly StoryEntryWire[]): StoryEntryWire[] {
  return entries
    .map((entry, index) => ({ entry, index, at: Date.parse(entry.at) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ entry }) => entry);
}

function Story({ entries }: { entries: readonly StoryEntryWire[] }) {
  if (entries.length === 0) return <p className="empty">Nothing recorded yet.</p>;
  return (
    <ol className="story" data-testid="story">
      {sortStory(entries).map((entry, index) => (
        <li
          key={`${entry.at}-${index}`}
          className={`story__entry story__entry--${entry.kind}`}
          data-testid="story-entry"
          data-kind={entry.kind}
        >
          <div className="story__head">
            <span className={`tag tag--kind-${entry.kind}`}>{STORY_KIND_LABELS[entry.kind]}</span>
            <span className="story__time">
              <Time iso={entry.at} />
            </span>
          </div>
          <p className="story__title" data-testid="story-entry-title">
            {entry.title}
          </p>
          {entry.detail !== null && <p className="story__detail">{entry.detail}</p>}
          {Object.keys(entry.data).length > 0 && <RawData data={entry.data} />}
        </li>
      ))}
    </ol>
  );
}

function Fact({
  label,
  children,
  testId,
  mono = false,
}: {
  label: string;
  children: ReactNode;
  testId: string;
  mono?: boolean;
}) {
  const empty = children === null || children === undefined || children === '';
  return (
    <div className="facts__item">
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined} data-testid={testId}>
        {empty ? <span className="muted">—</span> : children}
      </dd>
    </div>
  );
}
