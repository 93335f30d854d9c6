import type { KeyboardEvent, ReactNode } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

interface ModalProps {
  title: string;
  /** Escape, the backdrop and every cancel button call this; the caller decides whether to close. */
  onClose: () => void;
  children: ReactNode;
  testId: string;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: rendered over the page, named by its title, the rest of the page inert while it is
 * open, focus kept inside (Tab wraps), Escape closes it, and focus goes back to whatever opened it.
 * Focus starts on the element marked `data-autofocus`, else the first focusable one.
 */
export function Modal({ title, onClose, children, testId }: ModalProps) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  // The portal's own element, added to <body> while the modal is open, so everything else can be inert.
  const [host] = useState(() => document.createElement('div'));

  useEffect(() => {
    const element = host;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    document.body.append(element);
    const others = [...document.body.children].filter((child) => child !== element && !child.hasAttribute('inert'));
    for (const other of others) other.setAttribute('inert', '');
    const first =
      panel.current?.querySelector<HTMLElement>('[data-autofocus]') ??
      panel.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      for (const other of others) other.removeAttribute('inert');
      element.remove();
      opener?.focus();
    };
  }, [host]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || panel.current === null) return;
    const focusable = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (first === undefined || last === undefined) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return createPortal(
    <div
      className="modal"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={panel}
        className="modal__panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="modal__title">
          {title}
        </h2>
        {children}
      </div>
    </div>,
    host,
  );
}
