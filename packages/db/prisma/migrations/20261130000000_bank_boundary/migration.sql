-- The bank boundary (issue 9): a webhook settles only the order the gateway itself placed.
--
-- The worker now places every order under an order key, a UUID stored on the transaction before the bank
-- is called (the bare transaction id could be squatted, and repeats across databases and resets). A bank
-- webhook is bound to the transaction by that key, or, in the seed's form without it, by the bank
-- reference already stored; its amount and currency must agree. A webhook that disagrees changes nothing
-- and is kept in rejected_webhooks for operators.

ALTER TABLE transactions
  ADD COLUMN bank_order_key uuid,
  -- When the transaction first went to the bank (pending -> processing): retries run to a horizon from here.
  ADD COLUMN submitted_at timestamptz(3),
  ADD CONSTRAINT transactions_order_key_once_submitted CHECK (bank_order_key IS NULL OR submitted_at IS NOT NULL);
CREATE UNIQUE INDEX transactions_bank_order_key ON transactions (bank_order_key) WHERE bank_order_key IS NOT NULL;
CREATE INDEX transactions_bank_reference_idx ON transactions (bank_reference) WHERE bank_reference IS NOT NULL;

-- Failures have two texts: error_message is the plain sentence the end user reads; detail is what an
-- operator needs (the bank's own words, attempt counts, the last error).
ALTER TABLE transaction_events ADD COLUMN detail text;

-- The seed's webhook form carries no timestamp.
ALTER TABLE webhook_events ALTER COLUMN signed_at DROP NOT NULL;
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_outcome_valid;
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_outcome_valid CHECK (outcome IN ('applied', 'ignored', 'conflict'));

-- Authentic (correctly signed) webhooks that did not match the gateway's own order. Repeats of the same
-- body are folded into one row with a count, so a bank retrying a bad webhook does not fill the table.
CREATE TABLE rejected_webhooks (
  id                 bigserial PRIMARY KEY,
  dedupe_key         text NOT NULL,
  transaction_id     bigint,
  reason             text NOT NULL,
  payload            jsonb NOT NULL,
  source_address     text,
  request_id         text,
  received_count     integer NOT NULL DEFAULT 1,
  first_received_at  timestamptz(3) NOT NULL DEFAULT now(),
  last_received_at   timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT rejected_webhooks_reason_valid CHECK (reason IN (
    'unknown_transaction', 'order_key_mismatch', 'bank_reference_mismatch', 'amount_mismatch', 'currency_mismatch'))
);
CREATE UNIQUE INDEX rejected_webhooks_dedupe_key ON rejected_webhooks (dedupe_key);
CREATE INDEX rejected_webhooks_transaction_idx ON rejected_webhooks (transaction_id, id);
CREATE INDEX rejected_webhooks_received_idx ON rejected_webhooks (last_received_at);

-- pending -> processing, once, minting the order key and the submission time on the way. Returns the
-- transaction as it now is (whoever moved it), so the worker needs no second read; no row when there is
-- no such transaction.
DROP FUNCTION paygate_start_processing(bigint, text, text);
CREATE FUNCTION paygate_start_processing(p_transaction_id bigint, p_cause text, p_request_id text)
RETURNS TABLE (
  moved boolean, id bigint, user_id bigint, type text, status text, amount bigint, currency text,
  bank_reference text, bank_order_key uuid, submitted_at timestamptz, error_code text, error_message text,
  idempotency_key text, request_id text, created_at timestamptz, updated_at timestamptz, completed_at timestamptz
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_moved boolean;
BEGIN
  UPDATE transactions t
     SET status = 'processing', updated_at = now(),
         bank_order_key = coalesce(t.bank_order_key, gen_random_uuid()),
         submitted_at = coalesce(t.submitted_at, now())
   WHERE t.id = p_transaction_id AND t.status = 'pending';
  v_moved := FOUND;
  IF v_moved THEN
    INSERT INTO transaction_events (transaction_id, from_status, to_status, cause, request_id)
    VALUES (p_transaction_id, 'pending', 'processing', p_cause, p_request_id);
  END IF;
  RETURN QUERY
    SELECT v_moved, t.id, t.user_id, t.type, t.status, t.amount, t.currency, t.bank_reference, t.bank_order_key,
           t.submitted_at, t.error_code, t.error_message, t.idempotency_key, t.request_id, t.created_at, t.updated_at,
           t.completed_at
      FROM transactions t WHERE t.id = p_transaction_id;
END
$$;

-- The ledger effect of a settlement; the caller holds the transaction's row lock and checked it is
-- processing. p_detail is the operator's text, kept on the event only.
DROP FUNCTION paygate_apply_settlement_(transactions, text, text, text, text, text, text);
CREATE FUNCTION paygate_apply_settlement_(
  v_transaction transactions, p_status text, p_bank_reference text, p_error_code text, p_error_message text,
  p_detail text, p_cause text, p_request_id text
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_clearing_id bigint;
BEGIN
  UPDATE transactions
     SET status = p_status, bank_reference = coalesce(bank_reference, p_bank_reference),
         error_code = p_error_code, error_message = p_error_message, updated_at = now(), completed_at = now()
   WHERE id = v_transaction.id;
  INSERT INTO transaction_events (transaction_id, from_status, to_status, cause, bank_reference, error_code, error_message, detail, request_id)
  VALUES (v_transaction.id, 'processing', p_status, p_cause, coalesce(v_transaction.bank_reference, p_bank_reference),
          p_error_code, p_error_message, p_detail, p_request_id);

  IF p_status = 'failed' THEN
    IF v_transaction.type = 'withdrawal' THEN
      UPDATE accounts SET held = held - v_transaction.amount, updated_at = now() WHERE id = v_transaction.account_id;
    END IF;
    RETURN;
  END IF;

  SELECT id INTO STRICT v_clearing_id FROM accounts
   WHERE kind = 'clearing' AND currency = v_transaction.currency AND shard = v_transaction.id % paygate_clearing_shard_count();
  IF v_transaction.type = 'deposit' THEN
    UPDATE accounts SET balance = balance + v_transaction.amount, updated_at = now() WHERE id = v_transaction.account_id;
    UPDATE accounts SET balance = balance - v_transaction.amount, updated_at = now() WHERE id = v_clearing_id;
    INSERT INTO ledger_postings (transaction_id, kind, debit_account_id, credit_account_id, amount, currency)
    VALUES (v_transaction.id, 'deposit', v_clearing_id, v_transaction.account_id, v_transaction.amount, v_transaction.currency);
  ELSE
    UPDATE accounts SET balance = balance - v_transaction.amount, held = held - v_transaction.amount, updated_at = now()
     WHERE id = v_transaction.account_id;
    UPDATE accounts SET balance = balance + v_transaction.amount, updated_at = now() WHERE id = v_clearing_id;
    INSERT INTO ledger_postings (transaction_id, kind, debit_account_id, credit_account_id, amount, currency)
    VALUES (v_transaction.id, 'withdrawal', v_transaction.account_id, v_clearing_id, v_transaction.amount, v_transaction.currency);
  END IF;
END
$$;

-- processing -> success | failed with its ledger effect, once (worker and reconciler). Outcomes: applied |
-- ignored (already terminal) | not_ready (still pending) | not_found.
DROP FUNCTION paygate_settle_transaction(bigint, text, text, text, text, text, text);
CREATE FUNCTION paygate_settle_transaction(
  p_transaction_id bigint, p_status text, p_bank_reference text, p_error_code text, p_error_message text,
  p_detail text, p_cause text, p_request_id text
) RETURNS TABLE (outcome text, status text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_transaction transactions%ROWTYPE;
BEGIN
  IF p_status NOT IN ('success', 'failed') THEN
    RAISE EXCEPTION 'settlement status must be success or failed, not %', p_status USING ERRCODE = 'check_violation';
  END IF;
  SELECT * INTO v_transaction FROM transactions t WHERE t.id = p_transaction_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text;
    RETURN;
  END IF;
  IF v_transaction.status = 'pending' THEN
    RETURN QUERY SELECT 'not_ready'::text, v_transaction.status;
    RETURN;
  END IF;
  IF v_transaction.status <> 'processing' THEN
    RETURN QUERY SELECT 'ignored'::text, v_transaction.status;
    RETURN;
  END IF;
  PERFORM paygate_apply_settlement_(v_transaction, p_status, p_bank_reference, p_error_code, p_error_message, p_detail, p_cause, p_request_id);
  RETURN QUERY SELECT 'applied'::text, p_status;
END
$$;

-- A signed bank callback, bound to the gateway's own order, then recorded once (deduplicated on what it
-- says) and applied in the same transaction. Outcomes:
--   applied | duplicate | ignored (terminal, same outcome) | conflict (terminal, other outcome: for operators)
--   | not_ready (the order cannot be bound yet; the bank's redelivery applies it) | not_found | mismatch.
-- `reason` names what did not match for not_found and mismatch, which are kept in rejected_webhooks.
DROP FUNCTION paygate_apply_bank_webhook(bigint, text, text, text, text, timestamptz, jsonb, text);
CREATE FUNCTION paygate_apply_bank_webhook(
  p_transaction_id bigint, p_bank_reference text, p_status text, p_error_code text, p_error_message text,
  p_detail text, p_order_key text, p_amount bigint, p_currency text, p_signed_at timestamptz, p_payload jsonb,
  p_source_address text, p_request_id text
) RETURNS TABLE (outcome text, status text, reason text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_transaction transactions%ROWTYPE;
  v_reason text;
  v_event_id bigint;
BEGIN
  SELECT * INTO v_transaction FROM transactions t WHERE t.id = p_transaction_id FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM paygate_reject_webhook_(p_transaction_id, 'unknown_transaction', p_payload, p_source_address, p_request_id);
    RETURN QUERY SELECT 'not_found'::text, NULL::text, 'unknown_transaction'::text;
    RETURN;
  END IF;

  IF p_order_key IS NOT NULL THEN
    -- Our own bank's form: the key we minted before calling the bank binds it, even before its answer
    -- (and its reference) reached us.
    IF v_transaction.bank_order_key IS NULL OR v_transaction.bank_order_key::text <> p_order_key THEN
      v_reason := 'order_key_mismatch';
    END IF;
  ELSIF v_transaction.bank_reference IS NULL THEN
    -- The seed's form names only the bank reference: bind it once the worker has stored that reference.
    IF v_transaction.status IN ('pending', 'processing') THEN
      RETURN QUERY SELECT 'not_ready'::text, v_transaction.status, NULL::text;
      RETURN;
    END IF;
    v_reason := 'bank_reference_mismatch';
  END IF;
  IF v_reason IS NULL AND v_transaction.bank_reference IS NOT NULL AND v_transaction.bank_reference <> p_bank_reference THEN
    v_reason := 'bank_reference_mismatch';
  END IF;
  IF v_reason IS NULL AND p_amount IS NOT NULL AND p_amount <> v_transaction.amount THEN
    v_reason := 'amount_mismatch';
  END IF;
  IF v_reason IS NULL AND p_currency IS NOT NULL AND p_currency <> v_transaction.currency THEN
    v_reason := 'currency_mismatch';
  END IF;
  IF v_reason IS NOT NULL THEN
    PERFORM paygate_reject_webhook_(p_transaction_id, v_reason, p_payload, p_source_address, p_request_id);
    RETURN QUERY SELECT 'mismatch'::text, v_transaction.status, v_reason;
    RETURN;
  END IF;
  IF v_transaction.status = 'pending' THEN
    RETURN QUERY SELECT 'not_ready'::text, v_transaction.status, NULL::text;
    RETURN;
  END IF;

  INSERT INTO webhook_events (dedupe_key, transaction_id, bank_reference, status, error_message, signed_at, payload, outcome, request_id)
  VALUES (p_transaction_id::text || ':' || p_bank_reference || ':' || p_status, p_transaction_id, p_bank_reference, p_status,
          p_error_message, p_signed_at, p_payload,
          CASE WHEN v_transaction.status = 'processing' THEN 'applied'
               WHEN v_transaction.status = p_status THEN 'ignored'
               ELSE 'conflict' END,
          p_request_id)
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING id INTO v_event_id;
  IF v_event_id IS NULL THEN
    RETURN QUERY SELECT 'duplicate'::text, v_transaction.status, NULL::text;
    RETURN;
  END IF;
  IF v_transaction.status <> 'processing' THEN
    RETURN QUERY SELECT (CASE WHEN v_transaction.status = p_status THEN 'ignored' ELSE 'conflict' END)::text,
                        v_transaction.status, NULL::text;
    RETURN;
  END IF;
  PERFORM paygate_apply_settlement_(v_transaction, p_status, p_bank_reference, p_error_code, p_error_message, p_detail,
                                    'bank.webhook', p_request_id);
  RETURN QUERY SELECT 'applied'::text, p_status, NULL::text;
END
$$;

CREATE FUNCTION paygate_reject_webhook_(
  p_transaction_id bigint, p_reason text, p_payload jsonb, p_source_address text, p_request_id text
) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO rejected_webhooks (dedupe_key, transaction_id, reason, payload, source_address, request_id)
  VALUES (coalesce(p_transaction_id::text, '-') || ':' || p_reason || ':' || md5((p_payload - 'signature' - 'timestamp')::text),
          p_transaction_id, p_reason, p_payload,
          p_source_address, p_request_id)
  ON CONFLICT (dedupe_key) DO UPDATE
     SET received_count = rejected_webhooks.received_count + 1, last_received_at = now(),
         source_address = EXCLUDED.source_address, request_id = EXCLUDED.request_id
$$;
