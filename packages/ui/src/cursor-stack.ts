import { useState } from 'react';

export interface CursorStack {
  /** The cursor of the page on screen; undefined on page one. */
  cursor: string | undefined;
  pageNumber: number;
  canPrevious: boolean;
  previous: () => void;
  /** Goes to the page after the one on screen, if the API gave a cursor for it. */
  next: (nextCursor: string | null) => void;
}

/**
 * Pages over an opaque keyset cursor: "Next" pushes `next_cursor`, "Previous" pops it. The stack is not
 * kept in the URL, since a cursor only means something when reached from page one; give the component
 * that holds it a `key` of its filters, so a new filter starts again from page one.
 */
export function useCursorStack(): CursorStack {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors.at(-1),
    pageNumber: cursors.length + 1,
    canPrevious: cursors.length > 0,
    previous: () => setCursors((stack) => stack.slice(0, -1)),
    next: (nextCursor) => {
      if (nextCursor !== null) setCursors((stack) => [...stack, nextCursor]);
    },
  };
}
