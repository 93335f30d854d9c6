-- The SQL of one deposit's whole life, statement for statement as the system runs it: the API's create,
-- the relay's claim and mark (one row per batch here, the worst case; any unpublished row, as the relay
-- takes them in order), the worker's start, read and bank reference, and the webhook's settlement.
\set uid random(:user_min, :user_max)
\set key random(1, 9000000000000000)
SELECT transaction_id AS tid FROM paygate_create_transaction(:uid, 'deposit', 1050, 'USD', 'pgbench-' || :key, 'POST', '/api/v1/deposits', 'fingerprint', 'pgbench', make_interval(hours => 24)) \gset
BEGIN;
WITH claimed AS (SELECT id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) SELECT coalesce((SELECT id FROM claimed), 0) AS id \gset o_
UPDATE outbox SET published_at = now(), publish_attempt_count = publish_attempt_count + 1 WHERE id = :o_id;
COMMIT;
SELECT * FROM paygate_start_processing(:tid, 'worker.submit', 'pgbench');
SELECT id, user_id, type, status, amount, currency, bank_reference FROM transactions WHERE id = :tid;
UPDATE transactions SET bank_reference = 'BNK-' || :tid, updated_at = now() WHERE id = :tid AND bank_reference IS NULL;
SELECT * FROM paygate_apply_bank_webhook(:tid, 'BNK-' || :tid, 'success', NULL, NULL, now(), '{}'::jsonb, 'pgbench');
