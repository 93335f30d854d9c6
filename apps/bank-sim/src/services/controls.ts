import type { BankControl } from '@paygate/contracts';

/** What a test has forced through the control endpoint, on top of the configured behaviour. */
export type ControlMode = NonNullable<BankControl['mode']>;

export interface ControlState {
  mode: ControlMode;
  dropWebhooks: boolean;
  duplicateWebhooks: boolean;
  outOfOrder: boolean;
  /** How many of the next POSTs answer 503 before the bank behaves again. */
  failNextRequestsWith503: number;
  delayMsMin: number;
  delayMsMax: number;
  successRate: number;
}

export type ControlResult = { ok: true; state: ControlState } | { ok: false; message: string };

/**
 * The runtime switches. `reset` returns to the configured defaults and keeps every order: tests share one
 * bank and read orders made before the reset.
 */
export class Controls {
  #state: ControlState;
  readonly #defaults: ControlState;

  constructor(settlement: { delayMsMin: number; delayMsMax: number; successRate: number }) {
    this.#defaults = {
      mode: 'normal',
      dropWebhooks: false,
      duplicateWebhooks: false,
      outOfOrder: false,
      failNextRequestsWith503: 0,
      ...settlement,
    };
    this.#state = { ...this.#defaults };
  }

  get state(): Readonly<ControlState> {
    return this.#state;
  }

  /** Applies `reset` first, then every other field given, all or nothing. */
  apply(command: BankControl): ControlResult {
    const base = command.reset === true ? this.#defaults : this.#state;
    const next: ControlState = {
      mode: command.mode ?? base.mode,
      dropWebhooks: command.drop_webhooks ?? base.dropWebhooks,
      duplicateWebhooks: command.duplicate_webhooks ?? base.duplicateWebhooks,
      outOfOrder: command.out_of_order ?? base.outOfOrder,
      failNextRequestsWith503: command.fail_next_requests_with_503 ?? base.failNextRequestsWith503,
      delayMsMin: command.min_delay_ms ?? base.delayMsMin,
      delayMsMax: command.max_delay_ms ?? base.delayMsMax,
      successRate: command.success_rate ?? base.successRate,
    };
    if (next.delayMsMin > next.delayMsMax) {
      return {
        ok: false,
        message: `min_delay_ms (${next.delayMsMin}) must not exceed max_delay_ms (${next.delayMsMax})`,
      };
    }
    this.#state = next;
    return { ok: true, state: { ...next } };
  }

  /** Spends one forced 503, if any is left. */
  takeForced503(): boolean {
    if (this.#state.failNextRequestsWith503 === 0) return false;
    this.#state.failNextRequestsWith503 -= 1;
    return true;
  }
}
