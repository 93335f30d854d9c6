-- Money paths as SQL functions: each request or settlement is one round trip and one transaction,
-- with the row locks held only for as long as the database itself needs them.

CREATE FUNCTION paygate_clearing_shard_count() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 16 $$;

CREATE FUNCTION paygate_format_amount(amount bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE WHEN amount < 0 THEN '-' ELSE '' END
      || (abs(amount) / 100)::text || '.' || lpad((abs(amount) % 100)::text, 2, '0')
$$;

CREATE FUNCTION paygate_iso_time(at timestamptz) RETURNS text
LANGUAGE sql STABLE STRICT AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The wire form of a transaction; must equal encodeTransaction in @paygate/contracts (a test compares them).
-- json, not jsonb, so the stored answer keeps its key order and a replay is the same text.
CREATE FUNCTION paygate_transaction_json(t transactions) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', t.id, 'user_id', t.user_id, 'type', t.type, 'status', t.status,
    'amount', paygate_format_amount(t.amount), 'currency', t.currency,
    'bank_reference', t.bank_reference, 'error_code', t.error_code, 'error_message', t.error_message,
    'idempotency_key', t.idempotency_key,
    'created_at', paygate_iso_time(t.created_at), 'updated_at', paygate_iso_time(t.updated_at),
    'completed_at', paygate_iso_time(t.completed_at))
$$;

CREATE FUNCTION paygate_ensure_clearing(p_currency text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO accounts (kind, currency, shard)
  SELECT 'clearing', p_currency, shard FROM generate_series(0, paygate_clearing_shard_count() - 1) AS shard
  ON CONFLICT (currency, shard) WHERE kind = 'clearing' DO NOTHING
$$;

-- Creates a user's wallet; an opening balance comes from clearing through the ledger like any deposit.
CREATE FUNCTION paygate_open_wallet(p_user_id bigint, p_currency text, p_opening_amount bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_wallet_id bigint;
  v_clearing_id bigint;
BEGIN
  IF p_opening_amount < 0 THEN
    RAISE EXCEPTION 'opening balance must not be negative' USING ERRCODE = 'check_violation';
  END IF;
  PERFORM paygate_ensure_clearing(p_currency);
  INSERT INTO accounts (user_id, kind, currency) VALUES (p_user_id, 'wallet', p_currency) RETURNING id INTO v_wallet_id;
  IF p_opening_amount > 0 THEN
    SELECT id INTO STRICT v_clearing_id FROM accounts
     WHERE kind = 'clearing' AND currency = p_currency AND shard = p_user_id % paygate_clearing_shard_count();
    UPDATE accounts SET balance = balance + p_opening_amount, updated_at = now() WHERE id = v_wallet_id;
    UPDATE accounts SET balance = balance - p_opening_amount, updated_at = now() WHERE id = v_clearing_id;
    INSERT INTO ledger_postings (transaction_id, kind, debit_account_id, credit_account_id, amount, currency)
    VALUES (NULL, 'opening_balance', v_clearing_id, v_wallet_id, p_opening_amount, p_currency);
  END IF;
  RETURN v_wallet_id;
END
$$;

-- POST /deposits and /withdrawals in one transaction: claim the idempotency key, (withdrawal) lock the
-- wallet and place the hold, insert the transaction, its first event and its outbox message, and store
-- the response under the key. Outcomes: created | replayed | insufficient_balance | key_reused |
-- in_progress | no_wallet.
CREATE FUNCTION paygate_create_transaction(
  p_user_id bigint, p_type text, p_amount bigint, p_currency text,
  p_key text, p_method text, p_path text, p_fingerprint text, p_request_id text, p_key_ttl interval
) RETURNS TABLE (outcome text, response_status integer, response_body json, transaction_id bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_existing idempotency_keys%ROWTYPE;
  v_wallet accounts%ROWTYPE;
  v_transaction transactions%ROWTYPE;
  v_key_id bigint;
  v_body json;
BEGIN
  -- One request per (user, key) at a time. A concurrent duplicate does not queue behind the first: it is
  -- told 409 at once, as the Idempotency-Key draft asks.
  IF NOT pg_try_advisory_xact_lock(hashtextextended(p_user_id::text || ':' || p_key, 0)) THEN
    RETURN QUERY SELECT 'in_progress'::text, 409, NULL::json, NULL::bigint;
    RETURN;
  END IF;

  SELECT * INTO v_existing FROM idempotency_keys k WHERE k.user_id = p_user_id AND k.key = p_key;
  IF FOUND THEN
    IF v_existing.created_at < now() - p_key_ttl THEN
      -- Expired but not yet swept: the key is free again.
      DELETE FROM idempotency_keys WHERE id = v_existing.id;
    ELSIF v_existing.fingerprint <> p_fingerprint THEN
      RETURN QUERY SELECT 'key_reused'::text, 422, NULL::json, v_existing.transaction_id;
      RETURN;
    ELSIF v_existing.status = 'in_progress' THEN
      RETURN QUERY SELECT 'in_progress'::text, 409, NULL::json, v_existing.transaction_id;
      RETURN;
    ELSE
      RETURN QUERY SELECT 'replayed'::text, v_existing.response_status, v_existing.response_body, v_existing.transaction_id;
      RETURN;
    END IF;
  END IF;

  IF p_type = 'withdrawal' THEN
    SELECT * INTO v_wallet FROM accounts a
     WHERE a.user_id = p_user_id AND a.kind = 'wallet' AND a.currency = p_currency FOR UPDATE;
  ELSE
    -- A deposit changes no balance until it settles, so it needs no lock on the wallet.
    SELECT * INTO v_wallet FROM accounts a WHERE a.user_id = p_user_id AND a.kind = 'wallet' AND a.currency = p_currency;
  END IF;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'no_wallet'::text, 422, NULL::json, NULL::bigint;
    RETURN;
  END IF;

  INSERT INTO idempotency_keys (user_id, key, method, path, fingerprint, status)
  VALUES (p_user_id, p_key, p_method, p_path, p_fingerprint, 'in_progress')
  RETURNING id INTO v_key_id;

  IF p_type = 'withdrawal' THEN
    IF v_wallet.balance - v_wallet.held < p_amount THEN
      v_body := json_build_object(
        'error', 'insufficient_balance',
        'message', 'Insufficient balance: ' || paygate_format_amount(v_wallet.balance - v_wallet.held) || ' ' || p_currency
                   || ' available, ' || paygate_format_amount(p_amount) || ' ' || p_currency || ' requested.',
        'details', json_build_object(
          'available_balance', paygate_format_amount(v_wallet.balance - v_wallet.held),
          'requested_amount', paygate_format_amount(p_amount),
          'currency', p_currency),
        'request_id', p_request_id);
      UPDATE idempotency_keys SET status = 'completed', response_status = 400, response_body = v_body, completed_at = now()
       WHERE id = v_key_id;
      RETURN QUERY SELECT 'insufficient_balance'::text, 400, v_body, NULL::bigint;
      RETURN;
    END IF;
    UPDATE accounts SET held = held + p_amount, updated_at = now() WHERE id = v_wallet.id;
  END IF;

  INSERT INTO transactions (user_id, account_id, type, amount, currency, idempotency_key, request_id)
  VALUES (p_user_id, v_wallet.id, p_type, p_amount, p_currency, p_key, p_request_id)
  RETURNING * INTO v_transaction;

  INSERT INTO transaction_events (transaction_id, from_status, to_status, cause, request_id)
  VALUES (v_transaction.id, NULL, 'pending', 'api.create', p_request_id);

  INSERT INTO outbox (topic, payload, headers)
  VALUES ('transactions.process',
          jsonb_build_object('transaction_id', v_transaction.id, 'user_id', p_user_id, 'type', p_type,
                             'amount_minor', p_amount::text, 'currency', p_currency, 'request_id', p_request_id),
          jsonb_strip_nulls(jsonb_build_object('x-request-id', p_request_id)));
  -- No NOTIFY here: PostgreSQL serialises the commits of notifying transactions on one global lock, which
  -- halved this function's throughput. The caller wakes the relay after commit instead (OutboxWakeUp).

  v_body := paygate_transaction_json(v_transaction);
  UPDATE idempotency_keys
     SET status = 'completed', response_status = 202, response_body = v_body, transaction_id = v_transaction.id, completed_at = now()
   WHERE id = v_key_id;
  RETURN QUERY SELECT 'created'::text, 202, v_body, v_transaction.id;
END
$$;

-- pending -> processing, once. Returns the transaction as it now is, whoever moved it.
CREATE FUNCTION paygate_start_processing(p_transaction_id bigint, p_cause text, p_request_id text)
RETURNS TABLE (moved boolean, status text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_status text;
BEGIN
  UPDATE transactions t SET status = 'processing', updated_at = now()
   WHERE t.id = p_transaction_id AND t.status = 'pending'
  RETURNING t.status INTO v_status;
  IF FOUND THEN
    INSERT INTO transaction_events (transaction_id, from_status, to_status, cause, request_id)
    VALUES (p_transaction_id, 'pending', 'processing', p_cause, p_request_id);
    RETURN QUERY SELECT true, v_status;
    RETURN;
  END IF;
  RETURN QUERY SELECT false, t.status FROM transactions t WHERE t.id = p_transaction_id;
END
$$;

-- processing -> success | failed with its ledger effect, once. Outcomes: applied | ignored (already
-- terminal) | not_ready (still pending) | not_found.
CREATE FUNCTION paygate_settle_transaction(
  p_transaction_id bigint, p_status text, p_bank_reference text, p_error_code text, p_error_message text,
  p_cause text, p_request_id text
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
  PERFORM paygate_apply_settlement_(v_transaction, p_status, p_bank_reference, p_error_code, p_error_message, p_cause, p_request_id);
  RETURN QUERY SELECT 'applied'::text, p_status;
END
$$;

-- The ledger effect of a settlement; the caller holds the transaction's row lock and checked it is processing.
CREATE FUNCTION paygate_apply_settlement_(
  v_transaction transactions, p_status text, p_bank_reference text, p_error_code text, p_error_message text,
  p_cause text, p_request_id text
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_clearing_id bigint;
BEGIN
  UPDATE transactions
     SET status = p_status, bank_reference = coalesce(p_bank_reference, bank_reference),
         error_code = p_error_code, error_message = p_error_message, updated_at = now(), completed_at = now()
   WHERE id = v_transaction.id;
  INSERT INTO transaction_events (transaction_id, from_status, to_status, cause, bank_reference, error_code, error_message, request_id)
  VALUES (v_transaction.id, 'processing', p_status, p_cause, coalesce(p_bank_reference, v_transaction.bank_reference),
          p_error_code, p_error_message, p_request_id);

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

-- A signed bank callback: recorded once (deduplicated on what it says) and applied in the same
-- transaction. Outcomes: applied | duplicate | ignored | not_ready | not_found.
CREATE FUNCTION paygate_apply_bank_webhook(
  p_transaction_id bigint, p_bank_reference text, p_status text, p_error_code text, p_error_message text,
  p_signed_at timestamptz, p_payload jsonb, p_request_id text
) RETURNS TABLE (outcome text, status text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_transaction transactions%ROWTYPE;
  v_event_id bigint;
BEGIN
  SELECT * INTO v_transaction FROM transactions t WHERE t.id = p_transaction_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text;
    RETURN;
  END IF;
  IF v_transaction.status = 'pending' THEN
    -- Nothing is recorded, so the bank's redelivery is applied once the worker has caught up.
    RETURN QUERY SELECT 'not_ready'::text, v_transaction.status;
    RETURN;
  END IF;
  INSERT INTO webhook_events (dedupe_key, transaction_id, bank_reference, status, error_message, signed_at, payload, outcome, request_id)
  VALUES (p_transaction_id::text || ':' || p_bank_reference || ':' || p_status, p_transaction_id, p_bank_reference, p_status,
          p_error_message, p_signed_at, p_payload,
          CASE WHEN v_transaction.status = 'processing' THEN 'applied' ELSE 'ignored' END, p_request_id)
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING id INTO v_event_id;
  IF v_event_id IS NULL THEN
    RETURN QUERY SELECT 'duplicate'::text, v_transaction.status;
    RETURN;
  END IF;
  IF v_transaction.status <> 'processing' THEN
    RETURN QUERY SELECT 'ignored'::text, v_transaction.status;
    RETURN;
  END IF;
  PERFORM paygate_apply_settlement_(v_transaction, p_status, p_bank_reference, p_error_code, p_error_message, 'bank.webhook', p_request_id);
  RETURN QUERY SELECT 'applied'::text, p_status;
END
$$;
