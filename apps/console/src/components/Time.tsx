import { formatDateTimeZone } from '@paygate/ui';

/** A moment with its time zone; the exact UTC time is in the tooltip and the datetime attribute. */
export function Time({ iso, testId }: { iso: string; testId?: string }) {
  return (
    <time dateTime={iso} title={iso} data-testid={testId}>
      {formatDateTimeZone(iso)}
    </time>
  );
}

export function MaybeTime({ iso, testId, none = '—' }: { iso: string | null; testId?: string; none?: string }) {
  if (iso === null) return <span className="muted">{none}</span>;
  return <Time iso={iso} testId={testId} />;
}
