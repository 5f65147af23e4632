-- A replayed dead letter goes out as it came in: the AMQP type and correlation id travel with the body.
ALTER TABLE dead_letters
    ADD COLUMN message_type   text,
    ADD COLUMN correlation_id text;
