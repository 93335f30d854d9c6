-- Money logic with one visible home (issue 10): the SQL functions only lock, change rows and return a
-- domain outcome with its facts. HTTP statuses, error bodies, the transaction's wire JSON and the AMQP
-- message are encoded in TypeScript (@paygate/contracts, @paygate/payments), never here.

-- The idempotency record keeps the first outcome and a snapshot of its facts (the transaction as created,
-- or what was available when a withdrawal was refused), not an HTTP answer: a replay encodes the snapshot
-- through the same encoder as the first answer, so it is byte-identical.
ALTER TABLE idempotency_keys
  ADD COLUMN outcome text,
  ADD COLUMN snapshot jsonb,
  ADD CONSTRAINT idempotency_keys_outcome_valid CHECK (outcome IS NULL OR outcome IN ('created', 'insufficient_balance'));

-- Keys stored by the first build hold an HTTP answer; turn each into the snapshot it describes.
UPDATE idempotency_keys k
   SET outcome = 'created',
       snapshot = to_jsonb(t) - 'account_id' - 'bank_order_key' - 'submitted_at'
                  || jsonb_build_object('status', k.response_body->>'status', 'bank_reference', NULL, 'error_code', NULL,
                                        'error_message', NULL, 'completed_at', NULL, 'updated_at', t.created_at)
  FROM transactions t
 WHERE k.status = 'completed' AND k.response_status = 202 AND t.id = k.transaction_id;
UPDATE idempotency_keys k
   SET outcome = 'insufficient_balance',
       snapshot = jsonb_build_object(
         'available_amount', replace(k.response_body->'details'->>'available_balance', '.', '')::bigint,
         'requested_amount', replace(k.response_body->'details'->>'requested_amount', '.', '')::bigint,
         'currency', k.response_body->'details'->>'currency',
         'request_id', k.response_body->>'request_id')
 WHERE k.status = 'completed' AND k.response_status = 400;

ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_completed_has_response;
ALTER TABLE idempotency_keys DROP COLUMN response_status, DROP COLUMN response_body;
ALTER TABLE idempotency_keys
  ADD CONSTRAINT idempotency_keys_completed_has_outcome CHECK ((status = 'completed') = (outcome IS NOT NULL AND snapshot IS NOT NULL));

-- The outbox names the transaction; the relay encodes the message from the row when it publishes.
ALTER TABLE outbox ADD COLUMN transaction_id bigint REFERENCES transactions (id);
UPDATE outbox SET transaction_id = (payload->>'transaction_id')::bigint WHERE topic = 'transactions.process';
ALTER TABLE outbox DROP COLUMN payload, DROP COLUMN headers;
ALTER TABLE outbox ALTER COLUMN transaction_id SET NOT NULL;
CREATE INDEX outbox_unpublished_transaction_idx ON outbox (transaction_id) WHERE published_at IS NULL;

DROP FUNCTION paygate_create_transaction(bigint, text, bigint, text, text, text, text, text, text, interval);
DROP FUNCTION paygate_transaction_json(transactions);
DROP FUNCTION paygate_format_amount(bigint);
DROP FUNCTION paygate_iso_time(timestamptz);

-- POST /deposits and /withdrawals in one transaction: claim the idempotency key, (withdrawal) lock the
-- wallet and place the hold, insert the transaction, its first event and its outbox row, and store the
-- outcome under the key. Outcomes:
--   created               snapshot = the transaction as created
--   insufficient_balance  snapshot = {available_amount, requested_amount, currency, request_id}
--   key_reused | in_progress | no_wallet   (nothing stored, nothing changed)
-- `replayed` is true when the outcome and snapshot are the ones stored by the first request with the key.
CREATE FUNCTION paygate_create_transaction(
  p_user_id bigint, p_type text, p_amount bigint, p_currency text, p_idempotency_key text, p_method text,
  p_path text, p_fingerprint text, p_request_id text, p_key_ttl interval
) RETURNS TABLE (outcome text, replayed boolean, snapshot jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_existing idempotency_keys%ROWTYPE;
  v_wallet accounts%ROWTYPE;
  v_transaction transactions%ROWTYPE;
  v_key_id bigint;
  v_snapshot jsonb;
BEGIN
  -- One request per (user, key) at a time. A concurrent duplicate does not queue behind the first: it is
  -- told in_progress at once, as the Idempotency-Key draft asks.
  IF NOT pg_try_advisory_xact_lock(hashtextextended(p_user_id::text || ':' || p_idempotency_key, 0)) THEN
    RETURN QUERY SELECT 'in_progress'::text, false, NULL::jsonb;
    RETURN;
  END IF;

  SELECT * INTO v_existing FROM idempotency_keys k WHERE k.user_id = p_user_id AND k.key = p_idempotency_key;
  IF FOUND THEN
    IF v_existing.created_at < now() - p_key_ttl THEN
      -- Expired but not yet swept: the key is free again.
      DELETE FROM idempotency_keys WHERE id = v_existing.id;
    ELSIF v_existing.fingerprint <> p_fingerprint THEN
      RETURN QUERY SELECT 'key_reused'::text, false, NULL::jsonb;
      RETURN;
    ELSIF v_existing.status = 'in_progress' THEN
      RETURN QUERY SELECT 'in_progress'::text, false, NULL::jsonb;
      RETURN;
    ELSE
      RETURN QUERY SELECT v_existing.outcome, true, v_existing.snapshot;
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
    RETURN QUERY SELECT 'no_wallet'::text, false, NULL::jsonb;
    RETURN;
  END IF;

  INSERT INTO idempotency_keys (user_id, key, method, path, fingerprint, status)
  VALUES (p_user_id, p_idempotency_key, p_method, p_path, p_fingerprint, 'in_progress')
  RETURNING id INTO v_key_id;

  IF p_type = 'withdrawal' THEN
    IF v_wallet.balance - v_wallet.held < p_amount THEN
      v_snapshot := jsonb_build_object('available_amount', v_wallet.balance - v_wallet.held, 'requested_amount', p_amount,
                                       'currency', p_currency, 'request_id', p_request_id);
      UPDATE idempotency_keys SET status = 'completed', outcome = 'insufficient_balance', snapshot = v_snapshot, completed_at = now()
       WHERE id = v_key_id;
      RETURN QUERY SELECT 'insufficient_balance'::text, false, v_snapshot;
      RETURN;
    END IF;
    UPDATE accounts SET held = held + p_amount, updated_at = now() WHERE id = v_wallet.id;
  END IF;

  INSERT INTO transactions (user_id, account_id, type, amount, currency, idempotency_key, request_id)
  VALUES (p_user_id, v_wallet.id, p_type, p_amount, p_currency, p_idempotency_key, p_request_id)
  RETURNING * INTO v_transaction;

  INSERT INTO transaction_events (transaction_id, from_status, to_status, cause, request_id)
  VALUES (v_transaction.id, NULL, 'pending', 'api.create', p_request_id);

  INSERT INTO outbox (topic, transaction_id) VALUES ('transactions.process', v_transaction.id);
  -- No NOTIFY here: PostgreSQL serialises the commits of notifying transactions on one global lock, which
  -- halved this function's throughput. The caller wakes the relay after commit instead (OutboxWakeUp).

  v_snapshot := to_jsonb(v_transaction) - 'account_id' - 'bank_order_key' - 'submitted_at';
  UPDATE idempotency_keys
     SET status = 'completed', outcome = 'created', snapshot = v_snapshot, transaction_id = v_transaction.id, completed_at = now()
   WHERE id = v_key_id;
  RETURN QUERY SELECT 'created'::text, false, v_snapshot;
END
$$;
