-- Who published a dead letter: the AMQP user-id the broker validated (or an impersonating orchestrator carried
-- on from it), so that a replay is attributed to that publisher and not to whatever its routing key or body
-- claims. Letters from before this column have no known publisher and are not replayed (docs/security.md).
ALTER TABLE dead_letters ADD COLUMN publisher text;
