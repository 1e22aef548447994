-- Medbook appointment booking 1.0.0: MySQL rollback.
-- Generated from the design spec by medbook-design; do not edit by hand: change the spec
-- and run `medbook-design ddl --dialect mysql --down` again.

DROP TABLE IF EXISTS `appointments`;

DROP TABLE IF EXISTS `availability_slots`;

DROP TABLE IF EXISTS `patients`;
