import type { ReactNode } from 'react';

interface PaginationProps {
  canPrevious: boolean;
  canNext: boolean;
  busy: boolean;
  onPrevious: () => void;
  onNext: () => void;
  pageNumber: number;
  /** What is shown between the buttons, e.g. "Page 2 of 5 · 93 deposits". */
  children: ReactNode;
}

/** Previous / Next over the API's keyset cursors, with the page announced politely to screen readers. */
export function Pagination({ canPrevious, canNext, busy, onPrevious, onNext, pageNumber, children }: PaginationProps) {
  return (
    <nav className="pagination" aria-label="Pagination">
      <button
        type="button"
        className="button button--secondary"
        disabled={!canPrevious || busy}
        onClick={onPrevious}
        data-testid="pagination-previous"
      >
        Previous
      </button>
      <p className="pagination__status" aria-live="polite" data-testid="pagination-page" data-page={pageNumber}>
        {children}
      </p>
      <button
        type="button"
        className="button button--secondary"
        disabled={!canNext || busy}
        onClick={onNext}
        data-testid="pagination-next"
      >
        Next
      </button>
    </nav>
  );
}
