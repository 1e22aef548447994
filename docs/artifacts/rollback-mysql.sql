-- Medbook appointment booking 1.0.0
-- MySQL rollback.
-- Generated from the design spec by medbook-design; do not edit by hand. Change the spec,
-- then run `medbook-design build` (the site's artifacts) or
-- `medbook-design ddl --spec <spec directory> --dialect mysql --down`.
-- Every DROP is IF EXISTS: after a failure, run it again.

SET SESSION lock_wait_timeout = 5;

DROP TABLE IF EXISTS `practitioner_time_zones`;

DROP TABLE IF EXISTS `appointment_outbox`;

DROP TABLE IF EXISTS `appointment_events`;

DROP TABLE IF EXISTS `appointments`;

DROP TABLE IF EXISTS `availability_slots`;

DROP TABLE IF EXISTS `patients`;
