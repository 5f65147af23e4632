-- W3C trace context (traceparent, tracestate) of the activity that wrote the row, so the work that happens later from
-- it (the outbox publish, the partner call) continues the same trace (docs/dashboard.md, "Trace context across hops").
-- Null for rows written before this migration or outside any traced work: those start a new trace.
ALTER TABLE outbox
    ADD COLUMN traceparent text,
    ADD COLUMN tracestate  text;

ALTER TABLE partner_tasks
    ADD COLUMN traceparent text,
    ADD COLUMN tracestate  text;
