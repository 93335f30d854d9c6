-- The SQL the API runs for one POST /api/v1/deposits once the caller's key is cached: one function call.
\set uid random(:user_min, :user_max)
\set key random(1, 9000000000000000)
SELECT * FROM paygate_create_transaction(:uid, 'deposit', 1050, 'USD', 'pgbench-' || :key, 'POST', '/api/v1/deposits', 'fingerprint', 'pgbench', make_interval(hours => 24));
