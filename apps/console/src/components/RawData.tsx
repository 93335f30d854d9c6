/** The raw facts behind an entry, folded away until asked for; a native <details> works with the keyboard. */
export function RawData({ data, label = 'Raw data', testId }: { data: unknown; label?: string; testId?: string }) {
  return (
    <details className="raw" data-testid={testId}>
      <summary>{label}</summary>
      <pre className="raw__body" tabIndex={0}>
        {JSON.stringify(data, null, 2)}
      </pre>
    </details>
  );
}
