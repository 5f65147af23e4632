-- The workflow-latency report starts from the shipments released in its window: without this index every
-- report read the whole shipments table. Its trail rows are then found through shipment_events_by_shipment.
CREATE INDEX shipments_by_created_at ON shipments (created_at);
