-- The orchestrator's core: one row per shipment, its append-only event trail, the transactional
-- outbox and the consumers' inbox.

CREATE TABLE shipments (
    id                  uuid        PRIMARY KEY,
    source_system       text        NOT NULL,
    business_key        text        NOT NULL,
    state               text        NOT NULL,
    state_owner         text        NOT NULL,
    version             integer     NOT NULL,
    correlation_id      text        NOT NULL,
    -- The release command as accepted, and its fingerprint: the durable idempotency backstop when
    -- Redis is unavailable (same business key + same fingerprint = the same command again).
    release             jsonb       NOT NULL,
    request_fingerprint text        NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CONSTRAINT shipments_business_key_unique UNIQUE (source_system, business_key)
);

CREATE TABLE shipment_events (
    sequence        bigserial   PRIMARY KEY,
    shipment_id     uuid        NOT NULL REFERENCES shipments (id),
    event_id        text        NOT NULL,
    milestone       text        NOT NULL,
    source_system   text        NOT NULL,
    outcome         text        NOT NULL,
    from_state      text,
    to_state        text,
    detail          text,
    correlation_id  text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX shipment_events_by_shipment ON shipment_events (shipment_id, sequence);

-- The trail is the canonical history: rows are added, never changed or removed.
CREATE FUNCTION reject_trail_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'shipment_events is append-only (% refused)', TG_OP;
END $$;

CREATE TRIGGER shipment_events_append_only
    BEFORE UPDATE OR DELETE ON shipment_events
    FOR EACH ROW EXECUTE FUNCTION reject_trail_change();

CREATE TABLE outbox (
    id              bigserial   PRIMARY KEY,
    event_id        uuid        NOT NULL UNIQUE,
    shipment_id     uuid        NOT NULL,
    event_type      text        NOT NULL,
    routing_key     text        NOT NULL,
    body            bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz,
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text
);

CREATE INDEX outbox_pending ON outbox (shipment_id, id) WHERE published_at IS NULL;

CREATE TABLE inbox (
    consumer        text        NOT NULL,
    event_id        text        NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- Milestones that could not be applied after every retry (or could never be: poison messages).
-- Kept here, not in a broker queue, so they can be listed, inspected and replayed through the API.
CREATE TABLE dead_letters (
    id              bigserial   PRIMARY KEY,
    event_id        text,
    routing_key     text        NOT NULL,
    body            bytea       NOT NULL,
    content_type    text,
    reason          text        NOT NULL,
    attempts        integer     NOT NULL,
    dead_at         timestamptz NOT NULL DEFAULT now(),
    replayed_at     timestamptz
);

CREATE INDEX dead_letters_waiting ON dead_letters (id) WHERE replayed_at IS NULL;
