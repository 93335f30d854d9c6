/**
 * The bank's schema, in order. A migration is never edited after it shipped (the migrator compares
 * checksums); a change is a new entry. SQL lives here rather than in .sql files so the esbuild bundle
 * carries it without a loader.
 */

export interface Migration {
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: '0001_orders_and_webhooks',
    sql: `
CREATE TABLE bank_orders (
  bank_reference        text PRIMARY KEY CHECK (bank_reference ~ '^BNK-[0-9A-Z]{12}$'),
  merchant_id           text NOT NULL CHECK (length(merchant_id) BETWEEN 1 AND 64),
  idempotency_key       text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  fingerprint           text NOT NULL,
  reference             text NOT NULL CHECK (length(reference) BETWEEN 1 AND 64),
  type                  text NOT NULL CHECK (type IN ('deposit', 'withdrawal')),
  amount_minor          bigint NOT NULL CHECK (amount_minor > 0),
  currency              text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  request_id            text CHECK (length(request_id) <= 128),
  status                text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'success', 'failed')),
  error_message         text,
  planned_status        text NOT NULL CHECK (planned_status IN ('success', 'failed')),
  planned_error_message text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  settle_at             timestamptz NOT NULL,
  settled_at            timestamptz,
  -- Idempotency keys belong to the merchant that chose them: two merchants may use the same one.
  CONSTRAINT bank_orders_merchant_key UNIQUE (merchant_id, idempotency_key),
  CONSTRAINT bank_orders_settled_at CHECK ((status = 'pending') = (settled_at IS NULL)),
  CONSTRAINT bank_orders_outcome CHECK (status = 'pending' OR status = planned_status)
);
-- The settle statement's scan: only pending orders, earliest first.
CREATE INDEX bank_orders_due_idx ON bank_orders (settle_at) WHERE status = 'pending';

-- One row per webhook to send: it lives until a 2xx (delivered_at) or the last attempt (given_up_at).
CREATE TABLE bank_webhooks (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bank_reference  text NOT NULL REFERENCES bank_orders (bank_reference),
  -- 2 when duplicate_webhooks was on at settlement: every attempt posts the same signed body twice.
  copy_count      smallint NOT NULL DEFAULT 1 CHECK (copy_count BETWEEN 1 AND 2),
  -- True when out_of_order was on at settlement and the first attempt has not been made yet.
  is_out_of_order boolean NOT NULL DEFAULT false,
  attempt_count   integer NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
  -- When the next attempt is due; while an attempt runs, when its lease ends.
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  given_up_at     timestamptz,
  CONSTRAINT bank_webhooks_one_end CHECK (delivered_at IS NULL OR given_up_at IS NULL)
);
CREATE INDEX bank_webhooks_due_idx ON bank_webhooks (next_attempt_at)
  WHERE delivered_at IS NULL AND given_up_at IS NULL;
CREATE INDEX bank_webhooks_order_idx ON bank_webhooks (bank_reference);
`,
  },
];
