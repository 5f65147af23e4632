-- Carrier webhooks as the gateway verified them, raw, until the partner adapters normalise them into
-- canonical milestones. Unique per carrier and webhook id: the durable backstop behind the gateway's
-- Redis replay check, so a webhook forwarded twice (Redis down, a retry racing) is stored once.
CREATE TABLE carrier_webhook_inbox (
    id              bigserial   PRIMARY KEY,
    carrier_id      text        NOT NULL,
    webhook_id      text        NOT NULL,
    sent_at         timestamptz,
    body            bytea       NOT NULL,
    content_type    text,
    correlation_id  text        NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    processed_at    timestamptz,
    UNIQUE (carrier_id, webhook_id)
);

CREATE INDEX carrier_webhook_inbox_unprocessed ON carrier_webhook_inbox (id) WHERE processed_at IS NULL;
