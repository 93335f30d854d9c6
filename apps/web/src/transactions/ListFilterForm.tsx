import { AMOUNT_INPUT_LENGTH_MAX, checkAmountInput } from '@paygate/ui';
import type { SubmitEvent } from 'react';
import { useState } from 'react';

import type { ListFilters } from './list-filters';

type FieldName = 'from' | 'to' | 'amount_min' | 'amount_max';
type Errors = Partial<Record<FieldName, string>>;

/**
 * Date and amount range for a list. Applied on submit, not per keystroke: a half-typed amount is neither
 * a request nor an error. Amounts are read like the amount field (so "1,000.50" works); a bad or inverted
 * range is said next to its field and the list is left as it was.
 */
export function ListFilterForm({
  filters,
  onApply,
}: {
  filters: ListFilters;
  onApply: (range: Pick<ListFilters, FieldName>) => void;
}) {
  const [values, setValues] = useState<Record<FieldName, string>>({
    from: filters.from ?? '',
    to: filters.to ?? '',
    amount_min: filters.amount_min ?? '',
    amount_max: filters.amount_max ?? '',
  });
  const [errors, setErrors] = useState<Errors>({});

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: Errors = {};
    const amountOf = (name: 'amount_min' | 'amount_max') => {
      if (values[name].trim() === '') return undefined;
      const checked = checkAmountInput(values[name]);
      if (checked.ok) return checked;
      next[name] = checked.message;
      return undefined;
    };
    const min = amountOf('amount_min');
    const max = amountOf('amount_max');
    if (min && max && min.amountMinor > max.amountMinor) next.amount_min = 'The minimum is above the maximum.';
    const from = values.from === '' ? undefined : values.from;
    const to = values.to === '' ? undefined : values.to;
    // YYYY-MM-DD compares as text in date order.
    if (from !== undefined && to !== undefined && from > to) next.from = 'The first day is after the last day.';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    onApply({ from, to, amount_min: min?.amount, amount_max: max?.amount });
  }

  function clear() {
    setValues({ from: '', to: '', amount_min: '', amount_max: '' });
    setErrors({});
    onApply({ from: undefined, to: undefined, amount_min: undefined, amount_max: undefined });
  }

  const field = (name: FieldName, label: string, type: 'date' | 'text') => {
    const errorId = `filter-${name}-error`;
    const error = errors[name];
    return (
      <div className="field field--inline">
        <label htmlFor={`filter-${name}`}>{label}</label>
        <input
          id={`filter-${name}`}
          type={type}
          inputMode={type === 'text' ? 'decimal' : undefined}
          autoComplete="off"
          maxLength={type === 'text' ? AMOUNT_INPUT_LENGTH_MAX : undefined}
          placeholder={type === 'text' ? '0.00' : undefined}
          value={values[name]}
          aria-invalid={error !== undefined}
          aria-describedby={error === undefined ? undefined : errorId}
          data-testid={`filter-${name}`}
          onChange={(event) => setValues({ ...values, [name]: event.target.value })}
        />
        {error !== undefined && (
          <p id={errorId} className="field__error" role="alert" data-testid={`filter-${name}-error`}>
            {error}
          </p>
        )}
      </div>
    );
  };

  return (
    <form className="list-filters" aria-label="Filter by date and amount" onSubmit={submit} noValidate>
      {field('from', 'From', 'date')}
      {field('to', 'To', 'date')}
      {field('amount_min', 'Min amount', 'text')}
      {field('amount_max', 'Max amount', 'text')}
      <div className="list-filters__actions">
        <button type="submit" className="button" data-testid="filter-apply">
          Apply
        </button>
        <button type="button" className="button button--secondary" data-testid="filter-clear" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}
