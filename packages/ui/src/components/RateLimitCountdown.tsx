import { useEffect, useRef, useState } from 'react';

import { formatTimeZone } from '../format';

/**
 * "Too many requests": the seconds left, counted down every second, and when the time is up the retry
 * runs by itself (once). Without a retry to run, it only says when trying again will work.
 */
export function RateLimitCountdown({ retryAtMs, onRetry }: { retryAtMs: number; onRetry?: (() => void) | undefined }) {
  const [nowMs, setNowMs] = useState(() => Date.now());
  const retried = useRef(false);
  const leftS = Math.max(0, Math.ceil((retryAtMs - nowMs) / 1000));

  useEffect(() => {
    if (leftS === 0) return undefined;
    const timer = setInterval(() => setNowMs(Date.now()), COUNTDOWN_TICK_MS);
    return () => clearInterval(timer);
  }, [leftS]);

  useEffect(() => {
    if (leftS > 0 || retried.current || onRetry === undefined) return;
    retried.current = true;
    onRetry();
  }, [leftS, onRetry]);

  const at = formatTimeZone(new Date(retryAtMs));
  if (leftS === 0) return <>{onRetry === undefined ? 'You can try again now.' : 'Trying again…'}</>;
  return (
    <>
      Too many requests.{' '}
      <span data-testid="rate-limit-countdown" data-seconds-left={leftS}>
        {onRetry === undefined ? 'Please try again in' : 'Trying again by itself in'} {leftS} second
        {leftS === 1 ? '' : 's'}
      </span>{' '}
      (at {at}).
    </>
  );
}

/** Ticks a little faster than once a second, so that no second is skipped on a busy page. */
const COUNTDOWN_TICK_MS = 250;
