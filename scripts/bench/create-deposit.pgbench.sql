-- The SQL the API runs for one POST /api/v1/deposits once the caller's key is cached: one function call.
\set uid random(:user_min, :user_max)
\set key random(1, 9000000000000000)
SELECT * FROM paygate_create_transaction(p_user_id => :uid, p_type => 'deposit', p_amount => 1050, p_currency => 'USD', p_idempotency_key => 'pgbench-' || :key, p_method => 'POST', p_path => '/api/v1/deposits', p_fingerprint => 'fingerprint', p_request_id => 'pgbench', p_key_ttl => make_interval(hours => 24));
