import { REPAIR_REASON_LENGTH_MAX, REPAIR_REASON_LENGTH_MIN } from '@paygate/contracts';
import { Modal } from '@paygate/ui';
import type { ReactNode, SubmitEvent } from 'react';
import { useId, useState } from 'react';

import { Problem } from './Problem';

interface ReasonDialogProps {
  title: string;
  /** What will happen, in plain words, before the operator confirms. */
  description: ReactNode;
  confirmLabel: string;
  tone?: 'primary' | 'danger';
  pending: boolean;
  /** The API's refusal of the last attempt, shown inside the dialog. */
  error: unknown;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
  testId: string;
}

/**
 * Every action that changes something asks for a confirmation and a reason, which the API keeps in the
 * audit log. The reason's length is the contract's (REPAIR_REASON_LENGTH_MIN..MAX, counted after trimming,
 * as the API counts it); the action is not sent until it is met.
 */
export function ReasonDialog({
  title,
  description,
  confirmLabel,
  tone = 'primary',
  pending,
  error,
  onCancel,
  onConfirm,
  testId,
}: ReasonDialogProps) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const trimmed = reason.trim();
    if (trimmed.length < REPAIR_REASON_LENGTH_MIN) {
      setFieldError(`Say why, in at least ${REPAIR_REASON_LENGTH_MIN} characters: it is kept in the audit log.`);
      return;
    }
    setFieldError(null);
    onConfirm(trimmed);
  }

  return (
    <Modal title={title} onClose={() => !pending && onCancel()} testId={testId}>
      <div className="modal__description">{description}</div>
      <form noValidate onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason</label>
          <textarea
            id={`${id}-reason`}
            name="reason"
            rows={3}
            maxLength={REPAIR_REASON_LENGTH_MAX}
            value={reason}
            required
            data-autofocus
            aria-invalid={fieldError !== null}
            aria-describedby={fieldError === null ? `${id}-hint` : `${id}-error ${id}-hint`}
            data-testid={`${testId}-reason`}
            onChange={(event) => setReason(event.target.value)}
          />
          {fieldError !== null && (
            <p id={`${id}-error`} className="field__error" role="alert" data-testid={`${testId}-reason-error`}>
              {fieldError}
            </p>
          )}
          <p id={`${id}-hint`} className="field__hint">
            Required, {REPAIR_REASON_LENGTH_MIN}–{REPAIR_REASON_LENGTH_MAX} characters. Kept in the audit log with your
            name.
          </p>
        </div>
        {error !== null && <Problem error={error} testId={`${testId}-error`} />}
        <div className="modal__actions">
          <button type="button" className="button button--secondary" onClick={onCancel} disabled={pending}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button ${tone === 'danger' ? 'button--danger' : 'button--primary'}`}
            disabled={pending}
            data-testid={`${testId}-confirm`}
          >
            {pending ? 'Working…' : confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
