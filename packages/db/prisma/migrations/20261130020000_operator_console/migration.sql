-- The operator console (issue 11): operators and their sessions, the audit log of what they did, and the
-- records the console reads instead of grepping logs or draining RabbitMQ: each bank call the worker made,
-- every dead-lettered message, each running worker's heartbeat, and the ledger checks.

-- Operators are their own accounts, never users: a user's API key never opens the operator API.
CREATE TABLE operators (
  id             bigserial PRIMARY KEY,
  email          text NOT NULL,
  role           text NOT NULL,
  -- scrypt: "scrypt$N$r$p$<salt base64>$<hash base64>".
  password_hash  text NOT NULL,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  disabled_at    timestamptz(3),
  CONSTRAINT operators_role_valid CHECK (role IN ('viewer', 'operator')),
  CONSTRAINT operators_email_lowercase CHECK (email = lower(email)),
  CONSTRAINT operators_password_hash_format CHECK (password_hash LIKE 'scrypt$%')
);
CREATE UNIQUE INDEX operators_email_key ON operators (email);

-- Opaque random tokens, stored as SHA-256; idle and absolute expiry; revoked by logout.
CREATE TABLE operator_sessions (
  id            bigserial PRIMARY KEY,
  operator_id   bigint NOT NULL REFERENCES operators (id),
  token_hash    text NOT NULL,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  last_seen_at  timestamptz(3) NOT NULL DEFAULT now(),
  expires_at    timestamptz(3) NOT NULL,
  revoked_at    timestamptz(3),
  CONSTRAINT operator_sessions_token_hash_format CHECK (token_hash ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX operator_sessions_token_hash_key ON operator_sessions (token_hash);
CREATE INDEX operator_sessions_operator_idx ON operator_sessions (operator_id);

-- Every operator action: who, what, which payment or user, why, when, and what came of it. Append-only.
CREATE TABLE operator_audit (
  id            bigserial PRIMARY KEY,
  operator_id   bigint NOT NULL REFERENCES operators (id),
  action        text NOT NULL,
  payment_id    bigint REFERENCES transactions (id),
  user_id       bigint REFERENCES users (id),
  dead_letter_id bigint,
  reason        text,
  outcome       text NOT NULL,
  request_id    text,
  at            timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT operator_audit_action_valid CHECK (action IN (
    'login', 'logout', 'reconcile', 'retry', 'fail', 'replay_dead_letter', 'issue_key', 'revoke_key'))
);
CREATE INDEX operator_audit_at_idx ON operator_audit (at DESC, id DESC);
CREATE INDEX operator_audit_payment_idx ON operator_audit (payment_id, id) WHERE payment_id IS NOT NULL;
CREATE INDEX operator_audit_user_idx ON operator_audit (user_id, id) WHERE user_id IS NOT NULL;

-- Each call the worker made to the bank for a transaction, with the answer, how long it took, and the
-- delay it chose before the next attempt (or that it waited for the breaker instead of calling).
CREATE TABLE bank_attempts (
  id              bigserial PRIMARY KEY,
  transaction_id  bigint NOT NULL REFERENCES transactions (id),
  operation       text NOT NULL,
  attempt_index   integer NOT NULL,
  started_at      timestamptz(3) NOT NULL,
  latency_ms      integer,
  outcome         text NOT NULL,
  http_status     integer,
  bank_reference  text,
  error           text,
  retry_delay_ms  integer,
  request_id      text,
  worker_id       text,
  CONSTRAINT bank_attempts_operation_valid CHECK (operation IN ('submit', 'status', 'breaker_wait')),
  CONSTRAINT bank_attempts_attempt_index_valid CHECK (attempt_index >= 0)
);
CREATE INDEX bank_attempts_transaction_idx ON bank_attempts (transaction_id, id);

-- Every message the worker dead-letters, also kept here so the console lists them without draining
-- RabbitMQ, and replays them through the outbox.
CREATE TABLE dead_letters (
  id                bigserial PRIMARY KEY,
  transaction_id    bigint REFERENCES transactions (id),
  reason            text NOT NULL,
  payload           jsonb NOT NULL,
  headers           jsonb NOT NULL DEFAULT '{}'::jsonb,
  message_id        text,
  dead_lettered_at  timestamptz(3) NOT NULL DEFAULT now(),
  replayed_at       timestamptz(3),
  replay_outcome    text,
  replayed_by       bigint REFERENCES operators (id)
);
CREATE INDEX dead_letters_at_idx ON dead_letters (dead_lettered_at DESC, id DESC);
CREATE INDEX dead_letters_waiting_idx ON dead_letters (id) WHERE replayed_at IS NULL;
CREATE INDEX dead_letters_transaction_idx ON dead_letters (transaction_id) WHERE transaction_id IS NOT NULL;

-- Each running worker says it is alive every few seconds; the console shows the fresh ones.
CREATE TABLE worker_heartbeats (
  worker_id      text PRIMARY KEY,
  version        text NOT NULL,
  hostname       text NOT NULL,
  started_at     timestamptz(3) NOT NULL,
  last_seen_at   timestamptz(3) NOT NULL,
  in_flight      integer NOT NULL,
  breaker_state  text NOT NULL,
  CONSTRAINT worker_heartbeats_breaker_state_valid CHECK (breaker_state IN ('closed', 'half_open', 'open'))
);

-- The periodic ledger check's results: the overview shows the last one, the metric follows it.
CREATE TABLE ledger_checks (
  id              bigserial PRIMARY KEY,
  checked_at      timestamptz(3) NOT NULL DEFAULT now(),
  is_balanced     boolean NOT NULL,
  violation_count integer NOT NULL,
  summary         jsonb NOT NULL
);
CREATE INDEX ledger_checks_at_idx ON ledger_checks (checked_at DESC);

-- The operator's search: by idempotency key, request id, and newest first across all users.
CREATE INDEX transactions_idempotency_key_idx ON transactions (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX transactions_request_id_idx ON transactions (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX transactions_created_idx ON transactions (created_at DESC, id DESC);
CREATE INDEX transactions_status_created_idx ON transactions (status, created_at DESC, id DESC);

-- An operator asks for a payment to be sent to the bank again (retry, or the replay of its dead letter):
-- a new outbox row unless one is already waiting. A processing payment gets a fresh retry horizon, since a
-- person decided it is worth trying again. Outcomes: requeued | already_queued | already_final | not_found.
CREATE FUNCTION paygate_requeue_transaction(p_transaction_id bigint) RETURNS TABLE (outcome text, status text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_transaction transactions%ROWTYPE;
BEGIN
  SELECT * INTO v_transaction FROM transactions t WHERE t.id = p_transaction_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text;
    RETURN;
  END IF;
  IF v_transaction.status NOT IN ('pending', 'processing') THEN
    RETURN QUERY SELECT 'already_final'::text, v_transaction.status;
    RETURN;
  END IF;
  IF v_transaction.status = 'processing' THEN
    UPDATE transactions SET submitted_at = now(), updated_at = now() WHERE id = p_transaction_id;
  END IF;
  IF EXISTS (SELECT 1 FROM outbox o WHERE o.transaction_id = p_transaction_id AND o.published_at IS NULL) THEN
    RETURN QUERY SELECT 'already_queued'::text, v_transaction.status;
    RETURN;
  END IF;
  INSERT INTO outbox (topic, transaction_id) VALUES ('transactions.process', p_transaction_id);
  RETURN QUERY SELECT 'requeued'::text, v_transaction.status;
END
$$;

-- An operator fails a payment that is not final (after the bank confirmed it holds no order): a pending
-- one is first moved to processing, as the lifecycle has no other way to failed, both steps by the
-- operator; the hold of a withdrawal is released once, by the settlement path. Outcomes: applied |
-- ignored (already final) | not_found.
CREATE FUNCTION paygate_operator_fail_transaction(
  p_transaction_id bigint, p_error_code text, p_error_message text, p_detail text, p_request_id text
) RETURNS TABLE (outcome text, status text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_transaction transactions%ROWTYPE;
BEGIN
  SELECT * INTO v_transaction FROM transactions t WHERE t.id = p_transaction_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text;
    RETURN;
  END IF;
  IF v_transaction.status NOT IN ('pending', 'processing') THEN
    RETURN QUERY SELECT 'ignored'::text, v_transaction.status;
    RETURN;
  END IF;
  IF v_transaction.status = 'pending' THEN
    UPDATE transactions SET status = 'processing', updated_at = now() WHERE id = p_transaction_id
    RETURNING * INTO v_transaction;
    INSERT INTO transaction_events (transaction_id, from_status, to_status, cause, request_id)
    VALUES (p_transaction_id, 'pending', 'processing', 'operator.fail', p_request_id);
  END IF;
  PERFORM paygate_apply_settlement_(v_transaction, 'failed', NULL, p_error_code, p_error_message, p_detail,
                                    'operator.fail', p_request_id);
  RETURN QUERY SELECT 'applied'::text, 'failed'::text;
END
$$;

ALTER TABLE operator_audit ADD CONSTRAINT operator_audit_dead_letter_fkey FOREIGN KEY (dead_letter_id) REFERENCES dead_letters (id);
