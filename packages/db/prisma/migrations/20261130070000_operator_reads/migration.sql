-- The operator console's reads that the earlier indexes do not serve.

-- A payment's story lists its outbox rows, published ones included (outbox_unpublished_transaction_idx
-- covers only the waiting ones).
CREATE INDEX outbox_transaction_idx ON outbox (transaction_id, id);

-- Users found by the start of their email: a pattern index, since the database's collation may not be C.
CREATE INDEX users_email_pattern_idx ON users (email text_pattern_ops);

-- The queues each worker consumes and feeds, as it last saw them ({name, messages, consumers} each): the
-- worker knows its topology (prefix, retry buckets), so it reports the depths and the console shows them
-- without the API having to know RabbitMQ's names or its management plugin.
ALTER TABLE worker_heartbeats ADD COLUMN queues jsonb NOT NULL DEFAULT '[]'::jsonb;
