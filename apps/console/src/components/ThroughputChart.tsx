import type { ThroughputMinuteWire } from '@paygate/contracts';
import type { TransactionStatus } from '@paygate/domain/transaction-status';
import { STATUS_LABELS } from '@paygate/ui';
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { BarStack } from '@visx/shape';
import type { RefObject } from 'react';
import { useEffect, useId, useRef, useState } from 'react';

/**
 * Payments created per minute over the last hour, stacked by their status now, drawn as SVG with visx
 * (d3 scales and shapes as React components: no canvas, so it is in the DOM for assistive technology and
 * for tests). The same numbers are one click away as a table, and each bar names its minute and counts.
 */

/** Bottom to top: what settled, what failed, what is still open. */
const SERIES = ['success', 'failed', 'processing', 'pending'] as const satisfies readonly TransactionStatus[];
type Series = (typeof SERIES)[number];

/** Darker tints of the status badges' colours: at least 3:1 against the white card (WCAG 1.4.11). */
export const SERIES_COLORS: Record<Series, string> = {
  success: '#15803d',
  failed: '#b91c1c',
  processing: '#1d4ed8',
  pending: '#a16207',
};

const HEIGHT = 220;
const MARGIN = { top: 8, right: 8, bottom: 28, left: 36 } as const;
/** Width used until the card has been measured (and where it cannot be, as in jsdom). */
const WIDTH_FALLBACK = 720;
/** A time label needs about this much room; fewer labels on narrow screens, never overlapping. */
const TICK_LABEL_WIDTH_PX = 64;
const TICK_STEPS_MIN = [5, 10, 15, 20, 30, 60] as const;

const minuteLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function ThroughputChart({ minutes }: { minutes: readonly ThroughputMinuteWire[] }) {
  const id = useId();
  const frame = useRef<HTMLDivElement>(null);
  const width = useWidth(frame, WIDTH_FALLBACK);
  const innerWidth = Math.max(0, width - MARGIN.left - MARGIN.right);
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const total = (minute: ThroughputMinuteWire) => SERIES.reduce((sum, key) => sum + minute[key], 0);
  const peak = Math.max(1, ...minutes.map(total));
  const created = minutes.reduce((sum, minute) => sum + total(minute), 0);

  const xScale = scaleBand<string>({
    domain: minutes.map((minute) => minute.minute),
    range: [0, innerWidth],
    padding: 0.2,
  });
  const yScale = scaleLinear<number>({ domain: [0, peak], range: [innerHeight, 0], nice: true });
  const tickEvery = tickStepMin(innerWidth, minutes.length);
  const tickMinutes = minutes.filter((_minute, index) => index % tickEvery === 0).map((minute) => minute.minute);

  return (
    <figure className="chart" data-testid="throughput-chart" data-minutes={minutes.length}>
      <figcaption className="chart__caption">
        <span id={`${id}-title`}>Payments created per minute, last hour, by status now</span>
        <span className="muted"> · {created} in total</span>
      </figcaption>
      <ul className="chart__legend" aria-label="Legend">
        {SERIES.map((key) => (
          <li key={key}>
            {/* An SVG swatch, not an inline style: the CSP allows styles from 'self' only. */}
            <svg className="chart__swatch" viewBox="0 0 10 10" aria-hidden="true">
              <rect width="10" height="10" rx="2" fill={SERIES_COLORS[key]} />
            </svg>
            {STATUS_LABELS[key]}
          </li>
        ))}
      </ul>
      <div ref={frame} className="chart__frame">
        <svg
          width={width}
          height={HEIGHT}
          role="img"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-summary`}
        >
          <desc id={`${id}-summary`}>{summary(minutes)}</desc>
          <Group left={MARGIN.left} top={MARGIN.top}>
            <BarStack<ThroughputMinuteWire, Series>
              data={[...minutes]}
              keys={[...SERIES]}
              x={(minute) => minute.minute}
              xScale={xScale}
              yScale={yScale}
              color={(key) => SERIES_COLORS[key]}
            >
              {(stacks) =>
                stacks.map((stack) =>
                  stack.bars
                    .filter((bar) => bar.height > 0)
                    .map((bar) => (
                      <rect
                        key={`${stack.key}-${bar.index}`}
                        x={bar.x}
                        y={bar.y}
                        width={bar.width}
                        height={bar.height}
                        fill={bar.color}
                        data-testid="chart-bar"
                        data-series={stack.key}
                      >
                        <title>{`${minuteLabel.format(new Date(bar.bar.data.minute))}: ${bar.bar.data[stack.key]} ${STATUS_LABELS[stack.key].toLowerCase()}`}</title>
                      </rect>
                    )),
                )
              }
            </BarStack>
            <AxisLeft
              scale={yScale}
              numTicks={4}
              tickFormat={(value) => (Number.isInteger(Number(value)) ? String(value) : '')}
              stroke="#94a3b8"
              tickStroke="#94a3b8"
              tickLabelProps={{ fill: '#475569', fontSize: 11, textAnchor: 'end', dx: -4, dy: 3 }}
            />
            <AxisBottom
              top={innerHeight}
              scale={xScale}
              tickValues={tickMinutes}
              tickFormat={(minute) => minuteLabel.format(new Date(minute))}
              stroke="#94a3b8"
              tickStroke="#94a3b8"
              tickLabelProps={{ fill: '#475569', fontSize: 11, textAnchor: 'middle' }}
            />
          </Group>
        </svg>
      </div>
      <details className="chart__table">
        <summary>Show the numbers as a table</summary>
        <div className="table-scroll">
          <table className="table table--compact">
            <caption className="visually-hidden">Payments created per minute by status now</caption>
            <thead>
              <tr>
                <th scope="col">Minute</th>
                {SERIES.map((key) => (
                  <th key={key} scope="col" className="numeric">
                    {STATUS_LABELS[key]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {minutes
                .filter((minute) => total(minute) > 0)
                .map((minute) => (
                  <tr key={minute.minute}>
                    <th scope="row">
                      <time dateTime={minute.minute}>{minuteLabel.format(new Date(minute.minute))}</time>
                    </th>
                    {SERIES.map((key) => (
                      <td key={key} className="numeric">
                        {minute[key]}
                      </td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function tickStepMin(innerWidth: number, count: number): number {
  const labelCountMax = Math.max(1, Math.floor(innerWidth / TICK_LABEL_WIDTH_PX));
  return TICK_STEPS_MIN.find((step) => Math.ceil(count / step) <= labelCountMax) ?? Math.max(1, count);
}

function summary(minutes: readonly ThroughputMinuteWire[]): string {
  const sums = SERIES.map((key) => `${minutes.reduce((sum, minute) => sum + minute[key], 0)} ${key}`);
  return `Over ${minutes.length} minutes: ${sums.join(', ')}.`;
}

/** The element's width, followed as it changes; the fallback where ResizeObserver does not exist. */
function useWidth(ref: RefObject<HTMLElement | null>, fallback: number): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (element === null || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver((entries) => {
      const measured = entries[0]?.contentRect.width;
      if (measured !== undefined && measured > 0) setWidth(Math.floor(measured));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
