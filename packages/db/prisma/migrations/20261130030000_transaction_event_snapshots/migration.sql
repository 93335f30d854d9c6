-- Every transaction change is an event that the outside world can follow: Server-Sent Events resume from
-- its id, outgoing webhooks deliver it. Both need to know whose change it was and what the transaction
-- looked like right after it, even when they read the event much later (a resumed stream, a webhook
-- retried hours on), so the event keeps a copy of the row as written.
--
-- A BEFORE INSERT trigger fills both, so that every path that records a transition (the money functions
-- of every migration so far, and any added later) records them without repeating the code; every one of
-- those paths updates the transaction row before it inserts the event, so the copy is the new state.
ALTER TABLE transaction_events ADD COLUMN user_id bigint REFERENCES users (id);
ALTER TABLE transaction_events ADD COLUMN snapshot jsonb;

UPDATE transaction_events e
   SET user_id = t.user_id,
       snapshot = to_jsonb(t) - 'account_id'
  FROM transactions t
 WHERE t.id = e.transaction_id;

ALTER TABLE transaction_events ALTER COLUMN user_id SET NOT NULL;
ALTER TABLE transaction_events ALTER COLUMN snapshot SET NOT NULL;

-- A user's events in order: the resume query of GET /api/v1/events.
CREATE INDEX transaction_events_user_idx ON transaction_events (user_id, id);

CREATE FUNCTION paygate_transaction_event_fill_() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT t.user_id, to_jsonb(t) - 'account_id'
    INTO NEW.user_id, NEW.snapshot
    FROM transactions t
   WHERE t.id = NEW.transaction_id;
  RETURN NEW;
END
$$;

CREATE TRIGGER transaction_events_fill
  BEFORE INSERT ON transaction_events
  FOR EACH ROW EXECUTE FUNCTION paygate_transaction_event_fill_();
