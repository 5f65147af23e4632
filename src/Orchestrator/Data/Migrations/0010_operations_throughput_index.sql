-- The operations page asks every few seconds for the last hour's throughput per minute, read from the trail by the
-- time rows were recorded: without this index every ask read the whole append-only trail.
CREATE INDEX shipment_events_by_recorded_at ON shipment_events (recorded_at);
