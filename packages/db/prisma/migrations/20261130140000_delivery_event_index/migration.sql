-- A payment's story lists the outgoing deliveries of its events (console): find them by event.
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id);
