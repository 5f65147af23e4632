-- The three flows (docs/flows.md): what a booking left on the shipment, durable work for partner calls,
-- tender attempts, exception records and the carrier adapter's dedupe.

-- What the TMS answered when the shipment was booked: the carrier owns the journey from here on, and
-- its webhooks are checked against it. The ETA moves with the carrier's Delayed milestones.
ALTER TABLE shipments
    ADD COLUMN carrier_id            text,
    ADD COLUMN booking_reference     text,
    ADD COLUMN tracking_number       text,
    ADD COLUMN estimated_delivery_at timestamptz;

CREATE INDEX shipments_by_tracking_number ON shipments (carrier_id, tracking_number) WHERE tracking_number IS NOT NULL;

-- Work and timers for partner calls (tender, goods-issue, invoice). A row is created in the transaction of
-- the state change that causes it, once per shipment and kind; any replica claims due rows with
-- FOR UPDATE SKIP LOCKED and leases them by moving due_at ahead, so a replica that dies mid-call leaves the
-- row to be claimed again when the lease runs out. Done rows stay (completed_at) as the record of the call.
CREATE TABLE partner_tasks (
    id              bigserial   PRIMARY KEY,
    shipment_id     uuid        NOT NULL REFERENCES shipments (id),
    kind            text        NOT NULL,
    -- When the milestone that caused the task happened: the ERP posts goods issue and invoice at that time.
    occurred_at     timestamptz NOT NULL,
    due_at          timestamptz NOT NULL,
    -- Claims so far: also the fence of the current claim.
    attempts        integer     NOT NULL DEFAULT 0,
    -- Failed calls in the current run of failures (the back-off's exponent; a wait is not a failure), and when
    -- that run began (the SLA of a delayed posting counts from here).
    failures        integer     NOT NULL DEFAULT 0,
    failing_since   timestamptz,
    last_error      text,
    claimed_by      text,
    created_at      timestamptz NOT NULL,
    completed_at    timestamptz,
    outcome         text,
    CONSTRAINT partner_tasks_once_per_kind UNIQUE (shipment_id, kind)
);

CREATE INDEX partner_tasks_due ON partner_tasks (due_at) WHERE completed_at IS NULL;

-- One row per tender sent to the TMS. The id is written before the call, so a call whose answer was lost
-- (crash, TMS failing mid-tender) is repeated under the same Idempotency-Key and books nothing twice.
-- A rejection excludes the carrier for the shipment; an unavailable carrier is tried again under a new id.
CREATE TABLE tenders (
    tender_id       uuid        PRIMARY KEY,
    shipment_id     uuid        NOT NULL REFERENCES shipments (id),
    carrier_id      text        NOT NULL,
    service_level   text,
    outcome         text,
    reason          text,
    created_at      timestamptz NOT NULL,
    answered_at     timestamptz
);

CREATE INDEX tenders_by_shipment ON tenders (shipment_id, created_at);
CREATE UNIQUE INDEX tenders_one_open_per_shipment ON tenders (shipment_id) WHERE outcome IS NULL;

-- Exceptions are records with an owner and an SLA, not log lines. At most one open per shipment and type:
-- the partial unique index is what makes "open it unless it is open" one idempotent insert.
CREATE TABLE shipment_exceptions (
    id                uuid        PRIMARY KEY,
    shipment_id       uuid        NOT NULL REFERENCES shipments (id),
    business_key      text        NOT NULL,
    type              text        NOT NULL,
    owner_team        text        NOT NULL,
    status            text        NOT NULL,
    sla_due_at        timestamptz NOT NULL,
    escalation_level  integer     NOT NULL DEFAULT 0,
    detail            text        NOT NULL,
    -- The parked work a retry makes due now (null: nothing to retry, e.g. a late delivery).
    task_kind         text,
    opened_at         timestamptz NOT NULL,
    resolved_at       timestamptz,
    resolution        text
);

CREATE UNIQUE INDEX shipment_exceptions_one_open ON shipment_exceptions (shipment_id, type) WHERE status = 'open';
CREATE INDEX shipment_exceptions_by_status ON shipment_exceptions (status, opened_at);
CREATE INDEX shipment_exceptions_escalation ON shipment_exceptions (sla_due_at) WHERE status = 'open';

-- The carrier adapter dedupes by the carrier's own event id: a resend under a new webhook-id is still a
-- duplicate. Filled in the transaction that applies the milestone.
CREATE TABLE carrier_events (
    carrier_id      text        NOT NULL,
    event_id        text        NOT NULL,
    inbox_id        bigint      NOT NULL REFERENCES carrier_webhook_inbox (id),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (carrier_id, event_id)
);

-- What the adapter made of each raw webhook, and when to look again at one it could not place yet
-- (its shipment unknown or not booked yet: webhooks can overtake the booking they follow).
ALTER TABLE carrier_webhook_inbox
    ADD COLUMN outcome          text,
    ADD COLUMN outcome_detail   text,
    ADD COLUMN shipment_id      uuid,
    ADD COLUMN attempts         integer     NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at  timestamptz NOT NULL DEFAULT now();

DROP INDEX carrier_webhook_inbox_unprocessed;
CREATE INDEX carrier_webhook_inbox_unprocessed ON carrier_webhook_inbox (next_attempt_at) WHERE processed_at IS NULL;
