-- Published rows stay in the outbox (for audit and replay). The dispatcher's claim walks unsent rows
-- in id order and the lag gauge asks for the oldest unsent one: partial indexes keep both from
-- scanning the ever-growing published part.
CREATE INDEX outbox_unsent_by_id ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_unsent_by_age ON outbox (created_at) WHERE published_at IS NULL;
