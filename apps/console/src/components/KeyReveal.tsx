import { useId, useRef, useState } from 'react';

import { useDeps } from '../deps';

/**
 * A new API key, shown this once: the API keeps only its hash, so it can never be shown again. A copy
 * button, a field that selects the whole key for copying by hand, and a plain "store it now" note. The key
 * lives in this component's state only (never in the query cache, the URL or storage) and is gone when
 * the operator closes the panel or leaves the page.
 */
export function KeyReveal({ apiKey, prefix, onDone }: { apiKey: string; prefix: string; onDone: () => void }) {
  const { copyText } = useDeps();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  return (
    <section className="key-reveal" aria-labelledby={`${id}-title`} data-testid="key-reveal">
      <h3 id={`${id}-title`} className="key-reveal__title">
        New API key {prefix}
      </h3>
      <p className="key-reveal__warning" data-testid="key-reveal-note">
        <strong>Store it now.</strong> This is the only time the key is shown: Paygate keeps only its hash. Give it to
        the user over a safe channel.
      </p>
      <div className="key-reveal__row">
        <label htmlFor={`${id}-key`} className="visually-hidden">
          New API key
        </label>
        <input
          ref={input}
          id={`${id}-key`}
          className="key-reveal__key mono"
          readOnly
          value={apiKey}
          spellCheck={false}
          autoComplete="off"
          data-testid="key-reveal-key"
          onFocus={(event) => event.currentTarget.select()}
        />
        <button
          type="button"
          className="button button--primary"
          data-testid="key-reveal-copy"
          onClick={() => {
            copyText(apiKey).then(
              () => setCopy('copied'),
              () => {
                setCopy('failed');
                input.current?.focus();
              },
            );
          }}
        >
          Copy
        </button>
      </div>
      <p className="key-reveal__status" role="status" data-testid="key-reveal-copy-status">
        {copy === 'copied'
          ? 'Copied to the clipboard.'
          : copy === 'failed'
            ? 'The browser did not allow copying: the key is selected, press Ctrl+C (⌘C).'
            : ''}
      </p>
      <button type="button" className="button button--secondary" data-testid="key-reveal-done" onClick={onDone}>
        I have stored it
      </button>
    </section>
  );
}
