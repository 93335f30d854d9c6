-- Paygate's tables. Money is bigint minor units; times are millisecond precision so they round-trip
-- exactly through JavaScript Dates (and keyset cursors compare equal to what they were built from).

CREATE TABLE users (
  id          bigserial PRIMARY KEY,
  email       text NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT users_email_lowercase CHECK (email = lower(email)),
  CONSTRAINT users_email_length CHECK (char_length(email) BETWEEN 3 AND 254)
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- Only a SHA-256 of each key is stored; the key itself is shown once, when issued.
CREATE TABLE api_keys (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id),
  key_hash    text NOT NULL,
  key_prefix  text NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  revoked_at  timestamptz(3),
  CONSTRAINT api_keys_key_hash_format CHECK (key_hash ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys (key_hash);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id);

-- A wallet per user and currency; the gateway's bank_clearing account is split into shards so that
-- settlements do not all queue on one row lock. Sum of every balance is zero (double entry).
CREATE TABLE accounts (
  id          bigserial PRIMARY KEY,
  user_id     bigint REFERENCES users (id),
  kind        text NOT NULL,
  currency    text NOT NULL,
  shard       integer NOT NULL DEFAULT 0,
  balance     bigint NOT NULL DEFAULT 0,
  held        bigint NOT NULL DEFAULT 0,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT accounts_kind_valid CHECK (kind IN ('wallet', 'clearing')),
  CONSTRAINT accounts_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT accounts_wallet_has_owner CHECK ((kind = 'wallet') = (user_id IS NOT NULL)),
  CONSTRAINT accounts_held_not_negative CHECK (held >= 0),
  CONSTRAINT accounts_clearing_holds_nothing CHECK (kind = 'wallet' OR held = 0),
  CONSTRAINT accounts_available_not_negative CHECK (kind <> 'wallet' OR balance - held >= 0)
);
CREATE UNIQUE INDEX accounts_wallet_key ON accounts (user_id, currency) WHERE kind = 'wallet';
CREATE UNIQUE INDEX accounts_clearing_key ON accounts (currency, shard) WHERE kind = 'clearing';

CREATE TABLE transactions (
  id               bigserial PRIMARY KEY,
  user_id          bigint NOT NULL REFERENCES users (id),
  account_id       bigint NOT NULL REFERENCES accounts (id),
  type             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending',
  amount           bigint NOT NULL,
  currency         text NOT NULL,
  bank_reference   text,
  error_code       text,
  error_message    text,
  idempotency_key  text,
  request_id       text,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  completed_at     timestamptz(3),
  CONSTRAINT transactions_type_valid CHECK (type IN ('deposit', 'withdrawal')),
  CONSTRAINT transactions_status_valid CHECK (status IN ('pending', 'processing', 'success', 'failed')),
  CONSTRAINT transactions_amount_positive CHECK (amount > 0),
  CONSTRAINT transactions_amount_max CHECK (amount <= 100000000000),
  CONSTRAINT transactions_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT transactions_completed_iff_terminal CHECK ((status IN ('success', 'failed')) = (completed_at IS NOT NULL))
);
-- History pages, newest first, with the id as tie-breaker for the keyset cursor.
CREATE INDEX transactions_user_created_idx ON transactions (user_id, created_at DESC, id DESC);
CREATE INDEX transactions_user_type_created_idx ON transactions (user_id, type, created_at DESC, id DESC);
-- Sweepers and the reconciler only look for unfinished work; finished rows stay out of this index.
CREATE INDEX transactions_status_updated_idx ON transactions (status, updated_at) WHERE status IN ('pending', 'processing');

-- The audit trail: one row per transition, never updated or deleted.
CREATE TABLE transaction_events (
  id              bigserial PRIMARY KEY,
  transaction_id  bigint NOT NULL REFERENCES transactions (id),
  from_status     text,
  to_status       text NOT NULL,
  cause           text NOT NULL,
  bank_reference  text,
  error_code      text,
  error_message   text,
  request_id      text,
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT transaction_events_from_valid CHECK (from_status IS NULL OR from_status IN ('pending', 'processing', 'success', 'failed')),
  CONSTRAINT transaction_events_to_valid CHECK (to_status IN ('pending', 'processing', 'success', 'failed'))
);
CREATE INDEX transaction_events_transaction_idx ON transaction_events (transaction_id, id);

-- Double entry: each settled movement debits one account and credits another by the same amount.
CREATE TABLE ledger_postings (
  id                 bigserial PRIMARY KEY,
  transaction_id     bigint REFERENCES transactions (id),
  kind               text NOT NULL,
  debit_account_id   bigint NOT NULL REFERENCES accounts (id),
  credit_account_id  bigint NOT NULL REFERENCES accounts (id),
  amount             bigint NOT NULL,
  currency           text NOT NULL,
  created_at         timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT ledger_postings_kind_valid CHECK (kind IN ('deposit', 'withdrawal', 'opening_balance')),
  CONSTRAINT ledger_postings_amount_positive CHECK (amount > 0),
  CONSTRAINT ledger_postings_two_accounts CHECK (debit_account_id <> credit_account_id),
  CONSTRAINT ledger_postings_transaction_iff_settlement CHECK ((kind = 'opening_balance') = (transaction_id IS NULL))
);
-- A transaction settles at most once, whatever races: the second posting cannot be inserted.
CREATE UNIQUE INDEX ledger_postings_transaction_key ON ledger_postings (transaction_id);
CREATE INDEX ledger_postings_debit_idx ON ledger_postings (debit_account_id);
CREATE INDEX ledger_postings_credit_idx ON ledger_postings (credit_account_id);

-- Idempotency-Key records, scoped to the user, with the first answer kept for exact replay.
CREATE TABLE idempotency_keys (
  id               bigserial PRIMARY KEY,
  user_id          bigint NOT NULL REFERENCES users (id),
  key              text NOT NULL,
  method           text NOT NULL,
  path             text NOT NULL,
  fingerprint      text NOT NULL,
  status           text NOT NULL DEFAULT 'in_progress',
  response_status  integer,
  response_body    json,
  transaction_id   bigint REFERENCES transactions (id),
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  completed_at     timestamptz(3),
  CONSTRAINT idempotency_keys_status_valid CHECK (status IN ('in_progress', 'completed')),
  CONSTRAINT idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 255),
  CONSTRAINT idempotency_keys_completed_has_response CHECK ((status = 'completed') = (response_status IS NOT NULL AND response_body IS NOT NULL))
);
CREATE UNIQUE INDEX idempotency_keys_user_key ON idempotency_keys (user_id, key);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Transactional outbox: written in the request's transaction, published to RabbitMQ after commit.
CREATE TABLE outbox (
  id                     bigserial PRIMARY KEY,
  topic                  text NOT NULL,
  payload                jsonb NOT NULL,
  headers                jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at             timestamptz(3) NOT NULL DEFAULT now(),
  published_at           timestamptz(3),
  publish_attempt_count  integer NOT NULL DEFAULT 0
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_idx ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Every authentic bank callback, deduplicated on what it says (not on its timestamp or signature, which
-- change on each redelivery).
CREATE TABLE webhook_events (
  id              bigserial PRIMARY KEY,
  dedupe_key      text NOT NULL,
  transaction_id  bigint NOT NULL REFERENCES transactions (id),
  bank_reference  text NOT NULL,
  status          text NOT NULL,
  error_message   text,
  signed_at       timestamptz(3) NOT NULL,
  payload         jsonb NOT NULL,
  outcome         text NOT NULL,
  request_id      text,
  received_at     timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT webhook_events_status_valid CHECK (status IN ('success', 'failed')),
  CONSTRAINT webhook_events_outcome_valid CHECK (outcome IN ('applied', 'ignored'))
);
CREATE UNIQUE INDEX webhook_events_dedupe_key ON webhook_events (dedupe_key);
CREATE INDEX webhook_events_transaction_idx ON webhook_events (transaction_id);

-- The gateway's clearing account for USD, in 16 shards.
INSERT INTO accounts (kind, currency, shard) SELECT 'clearing', 'USD', shard FROM generate_series(0, 15) AS shard;
