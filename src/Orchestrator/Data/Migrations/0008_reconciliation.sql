-- Reconciliation (docs/reconciliation.md): each run compares the orchestrator's shipments with the partners'
-- systems of record and keeps what it found, with the evidence of both sides and what it did about it.

CREATE TABLE reconciliation_runs (
    id              uuid        PRIMARY KEY,
    trigger         text        NOT NULL,
    status          text        NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    shipments       integer     NOT NULL DEFAULT 0,
    findings        integer     NOT NULL DEFAULT 0,
    healed          integer     NOT NULL DEFAULT 0,
    exceptions      integer     NOT NULL DEFAULT 0,
    -- Partners whose records could not be read: their comparisons were skipped, not judged.
    unavailable     text[]      NOT NULL DEFAULT '{}',
    duration_ms     double precision
);

CREATE INDEX reconciliation_runs_by_start ON reconciliation_runs (started_at DESC);

CREATE TABLE reconciliation_findings (
    id              bigserial   PRIMARY KEY,
    run_id          uuid        NOT NULL REFERENCES reconciliation_runs (id),
    shipment_id     uuid        NOT NULL REFERENCES shipments (id),
    business_key    text        NOT NULL,
    partner         text        NOT NULL,
    subject         text        NOT NULL,
    drift           text        NOT NULL,
    ours            text        NOT NULL,
    theirs          text        NOT NULL,
    evidence        jsonb       NOT NULL,
    -- healed, heal-pending (healed by an earlier run, not visible yet), heal-failed, exception
    action          text        NOT NULL,
    action_detail   text,
    recorded_at     timestamptz NOT NULL
);

CREATE INDEX reconciliation_findings_by_run ON reconciliation_findings (run_id, id);
-- A drift is healed once: a later run looks up whether (and when) this shipment's subject was healed.
CREATE INDEX reconciliation_findings_healed ON reconciliation_findings (shipment_id, subject) WHERE action = 'healed';
