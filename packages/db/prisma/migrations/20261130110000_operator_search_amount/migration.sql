-- The operator's search by amount across all users (`pnpm bench search`, 1M payments): with no index that
-- starts with the amount, "payments of exactly 123.45" walks transactions_created_idx newest first through
-- the whole table looking for its few rows (p50 271 ms, p99 427 ms; with a user and a status, p99 883 ms).
-- With this one it reads those rows by amount and sorts the handful it finds (see README, Performance).
CREATE INDEX transactions_amount_created_idx ON transactions (amount, created_at DESC, id DESC);
