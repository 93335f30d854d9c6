-- A worker that dies (or stalls past its lease) mid-attempt used to leave no trace of that attempt: the
-- delivery simply came due again. The claim now remembers when the attempt began, and the next claim of a
-- delivery whose lease ran out records the lost attempt ('lost': no answer recorded, maybe received).
ALTER TABLE webhook_deliveries ADD COLUMN lease_started_at timestamptz(3);

ALTER TABLE webhook_delivery_attempts DROP CONSTRAINT webhook_delivery_attempts_outcome_valid;
ALTER TABLE webhook_delivery_attempts
  ADD CONSTRAINT webhook_delivery_attempts_outcome_valid CHECK (outcome IN ('delivered', 'failed', 'lost'));
