-- The SQL of one deposit's whole life, statement for statement as the system runs it: the API's create,
-- the relay's claim (with the transaction it names) and mark (one row per batch here, the worst case; any
-- unpublished row, as the relay takes them in order), the worker's start (which returns the row and its
-- order key) and bank reference, and the webhook's binding and settlement.
\set uid random(:user_min, :user_max)
\set key random(1, 9000000000000000)
SELECT (snapshot->>'id')::bigint AS tid FROM paygate_create_transaction(p_user_id => :uid, p_type => 'deposit', p_amount => 1050, p_currency => 'USD', p_idempotency_key => 'pgbench-' || :key, p_method => 'POST', p_path => '/api/v1/deposits', p_fingerprint => 'fingerprint', p_request_id => 'pgbench', p_key_ttl => make_interval(hours => 24)) \gset
BEGIN;
WITH claimed AS (SELECT o.id FROM outbox o JOIN transactions t ON t.id = o.transaction_id WHERE o.published_at IS NULL ORDER BY o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED) SELECT coalesce((SELECT id FROM claimed), 0) AS id \gset o_
UPDATE outbox SET published_at = now(), publish_attempt_count = publish_attempt_count + 1 WHERE id = :o_id;
COMMIT;
SELECT bank_order_key AS okey FROM paygate_start_processing(p_transaction_id => :tid, p_cause => 'worker.submit', p_request_id => 'pgbench') \gset
UPDATE transactions SET bank_reference = 'BNK-' || :tid, updated_at = now() WHERE id = :tid AND bank_reference IS NULL;
SELECT * FROM paygate_apply_bank_webhook(p_transaction_id => :tid, p_bank_reference => 'BNK-' || :tid, p_status => 'success', p_error_code => NULL, p_error_message => NULL, p_detail => NULL, p_order_key => ':okey', p_amount => 1050, p_currency => 'USD', p_signed_at => now(), p_payload => '{}'::jsonb, p_source_address => NULL, p_request_id => 'pgbench');
