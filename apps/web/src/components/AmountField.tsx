import { AMOUNT_INPUT_LENGTH_MAX } from '@paygate/ui';
import type { Ref } from 'react';

interface AmountFieldProps {
  id: string;
  label: string;
  currency: string;
  value: string;
  error: string | null;
  disabled?: boolean;
  testId: string;
  inputRef?: Ref<HTMLInputElement>;
  onChange: (value: string) => void;
}

/**
 * A text field rather than type="number": a number input silently drops "12.345" or "1e3" and rounds
 * through a float, while the API wants the exact text checked. The error sits under the field and is
 * tied to it, so a screen reader reads it with the field.
 */
export function AmountField({
  id,
  label,
  currency,
  value,
  error,
  disabled = false,
  testId,
  inputRef,
  onChange,
}: AmountFieldProps) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className={`amount-input${error === null ? '' : ' amount-input--invalid'}`}>
        <span className="amount-input__currency" aria-hidden="true">
          {currency}
        </span>
        <input
          ref={inputRef}
          id={id}
          name="amount"
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          placeholder="0.00"
          maxLength={AMOUNT_INPUT_LENGTH_MAX}
          value={value}
          disabled={disabled}
          aria-invalid={error !== null}
          aria-describedby={error === null ? hintId : `${errorId} ${hintId}`}
          data-testid={testId}
          onChange={(event) => onChange(event.target.value)}
        />
      </div>
      {error !== null && (
        <p id={errorId} className="field__error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
      <p id={hintId} className="field__hint">
        Up to 2 decimals, at most 1,000,000,000.00; commas between thousands are fine.
      </p>
    </div>
  );
}
