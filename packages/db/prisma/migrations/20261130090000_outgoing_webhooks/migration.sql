-- Outgoing webhooks (DESIGN.md, "Outgoing webhooks", in the Standard Webhooks form): a user's endpoints,
-- one delivery per (endpoint, event), and every attempt the worker made at it.
--
-- Deliveries are written by a trigger on transaction_events, so they are in the same database transaction
-- as the change they announce, whatever path made it (the money functions of every migration so far, and
-- any added later): a change that rolled back leaves no delivery, a committed one cannot lose its delivery.

CREATE TABLE webhook_endpoints (
  id                 bigserial PRIMARY KEY,
  user_id            bigint NOT NULL REFERENCES users (id),
  url                text NOT NULL,
  -- A JSON array of event type names; one type exists today, transaction.updated.
  events             jsonb NOT NULL,
  description        text,
  -- The signing key must be read back to sign, so it cannot be hashed: AES-256-GCM under
  -- WEBHOOK_ENDPOINT_SECRET_KEY, as "v1.<iv base64>.<ciphertext and tag base64>".
  secret_ciphertext  text NOT NULL,
  created_at         timestamptz(3) NOT NULL DEFAULT now(),
  secret_rotated_at  timestamptz(3),
  -- Set when a delivery failed for its whole retry schedule while the endpoint had not succeeded since.
  disabled_at        timestamptz(3),
  -- The first failed attempt since the last success; null while the endpoint is healthy.
  failing_since      timestamptz(3),
  CONSTRAINT webhook_endpoints_url_length CHECK (length(url) BETWEEN 8 AND 2048),
  CONSTRAINT webhook_endpoints_url_scheme CHECK (url ~ '^https?://'),
  CONSTRAINT webhook_endpoints_events_array CHECK (jsonb_typeof(events) = 'array' AND jsonb_array_length(events) >= 1),
  CONSTRAINT webhook_endpoints_description_length CHECK (description IS NULL OR length(description) <= 500),
  CONSTRAINT webhook_endpoints_secret_format CHECK (secret_ciphertext LIKE 'v1.%')
);
CREATE INDEX webhook_endpoints_user_idx ON webhook_endpoints (user_id, id);

CREATE TABLE webhook_deliveries (
  id                 bigserial PRIMARY KEY,
  endpoint_id        bigint NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id           bigint NOT NULL REFERENCES transaction_events (id),
  event_type         text NOT NULL,
  -- The transaction row as the event recorded it: every attempt sends the same body.
  payload            jsonb NOT NULL,
  event_created_at   timestamptz(3) NOT NULL,
  status             text NOT NULL DEFAULT 'pending',
  attempt_count      integer NOT NULL DEFAULT 0,
  -- Null: the worker's schedule (1 + the length of WEBHOOK_RETRY_SCHEDULE_S); a manual retry allows one more.
  attempt_count_max  integer,
  -- When the next attempt is due; a claim moves it past the lease, so a worker that died mid-attempt
  -- leaves a delivery that comes due again when the lease runs out.
  next_attempt_at    timestamptz(3) NOT NULL DEFAULT now(),
  leased_until       timestamptz(3),
  last_status_code   integer,
  last_error         text,
  created_at         timestamptz(3) NOT NULL DEFAULT now(),
  delivered_at       timestamptz(3),
  CONSTRAINT webhook_deliveries_status_valid CHECK (status IN ('pending', 'delivered', 'failed')),
  CONSTRAINT webhook_deliveries_attempt_count_valid CHECK (attempt_count >= 0),
  CONSTRAINT webhook_deliveries_delivered_at CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE UNIQUE INDEX webhook_deliveries_endpoint_event_key ON webhook_deliveries (endpoint_id, event_id);
-- The worker's claim: pending deliveries in the order they come due.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
-- An endpoint's deliveries, newest first (GET .../deliveries, keyset on id).
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id DESC);

-- Every attempt, as the integrator and the operator will ask about it: when, how long, what came back.
CREATE TABLE webhook_delivery_attempts (
  id            bigserial PRIMARY KEY,
  delivery_id   bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt_count integer NOT NULL,
  started_at    timestamptz(3) NOT NULL,
  duration_ms   integer NOT NULL,
  outcome       text NOT NULL,
  status_code   integer,
  error         text,
  CONSTRAINT webhook_delivery_attempts_outcome_valid CHECK (outcome IN ('delivered', 'failed')),
  CONSTRAINT webhook_delivery_attempts_count_valid CHECK (attempt_count >= 1)
);
CREATE INDEX webhook_delivery_attempts_delivery_idx ON webhook_delivery_attempts (delivery_id, id);

-- One delivery per enabled endpoint of the event's user that subscribes to transaction.updated. For a user
-- without endpoints this is one probe of webhook_endpoints_user_idx per event; no NOTIFY here (a NOTIFY
-- inside the money transaction serialises commits): the worker polls, and is woken after commits it sees.
CREATE FUNCTION paygate_webhook_fan_out_() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload, event_created_at)
  SELECT e.id, NEW.id, 'transaction.updated', NEW.snapshot, NEW.created_at
    FROM webhook_endpoints e
   WHERE e.user_id = NEW.user_id
     AND e.disabled_at IS NULL
     AND e.events ? 'transaction.updated';
  RETURN NULL;
END
$$;

CREATE TRIGGER transaction_events_webhook_fan_out
  AFTER INSERT ON transaction_events
  FOR EACH ROW EXECUTE FUNCTION paygate_webhook_fan_out_();
