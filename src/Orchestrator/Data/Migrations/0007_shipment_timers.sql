-- Durable per-shipment deadlines (issue 13): the promise date of the release, and the dwell limit of the state the
-- shipment is in. Rows are armed, replaced and cancelled in the transaction of the state change that causes it, so
-- a timer exists exactly when its state does. Any replica fires due rows, claiming the timer and its shipment with
-- FOR UPDATE SKIP LOCKED and opening the exception and marking the row fired in one transaction: a breach opens one
-- exception however many replicas look, and a restart or a killed replica loses none (the rows are the timers).
CREATE TABLE shipment_timers (
    shipment_id  uuid        NOT NULL REFERENCES shipments (id),
    -- 'promise' (due at the release's promisedBy) or 'dwell' (due when the shipment stayed too long in state).
    kind         text        NOT NULL,
    -- The state whose dwell limit it is; null for the promise.
    state        text,
    due_at       timestamptz NOT NULL,
    armed_at     timestamptz NOT NULL,
    -- Set when it fired: it stays as the record of the breach until the shipment moves on (which re-arms it).
    fired_at     timestamptz,
    PRIMARY KEY (shipment_id, kind)
);

CREATE INDEX shipment_timers_due ON shipment_timers (due_at) WHERE fired_at IS NULL;
