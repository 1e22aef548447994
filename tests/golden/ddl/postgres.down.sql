-- Medbook appointment booking 1.0.0
-- PostgreSQL rollback.
-- Generated from the design spec by medbook-design; do not edit by hand. Change the spec,
-- then run `medbook-design build` (the site's artifacts) or
-- `medbook-design ddl --spec <spec directory> --dialect postgres --down`.
-- One transaction: a failure, a lock timeout included, leaves nothing behind; run it again.

BEGIN;

SET LOCAL lock_timeout = '5s';

SET LOCAL statement_timeout = '60s';

/* btree_gist stays installed: CREATE EXTENSION IF NOT EXISTS cannot record whether this
   migration installed it or found it, and other objects may depend on it */
DROP TABLE IF EXISTS "practitioner_time_zones";

DROP TABLE IF EXISTS "appointment_outbox";

DROP TABLE IF EXISTS "appointment_events";

DROP TABLE IF EXISTS "appointments";

DROP TABLE IF EXISTS "availability_slots";

DROP TABLE IF EXISTS "patients";

COMMIT;
