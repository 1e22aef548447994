-- Medbook appointment booking 1.0.0
-- MySQL migration.
-- Generated from the design spec by medbook-design; do not edit by hand. Change the spec,
-- then run `medbook-design build` (the site's artifacts) or
-- `medbook-design ddl --spec <spec directory> --dialect mysql`.
-- MySQL commits each DDL statement: after a failure, run the rollback (every DROP is
-- IF EXISTS, and the new tables hold no data yet), then this script again.

SET SESSION lock_wait_timeout = 5;

CREATE TABLE `patients` (
  `id` BIGINT NOT NULL AUTO_INCREMENT COMMENT 'Surrogate key.',
  `user_id` BIGINT NOT NULL COMMENT 'Owning user.',
  `phone` VARCHAR(32) COMMENT 'Reminder number (E.164).',
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'First booking or sign-up.',
  PRIMARY KEY (`id`),
  CONSTRAINT `uq_patients_user` UNIQUE (`user_id`),
  CONSTRAINT `fk_patients_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='A user''s patient profile, mirroring practitioners.';

/* nx_slots_practitioner_no_overlap: MySQL has no exclusion constraints; no overlapping
   [starts_at, ends_at) per practitioner_id is enforced by the operations create_slot,
   update_slot */
CREATE TABLE `availability_slots` (
  `id` BIGINT NOT NULL AUTO_INCREMENT COMMENT 'Surrogate key.',
  `practitioner_id` BIGINT NOT NULL COMMENT 'Whose time.',
  `starts_at` DATETIME(6) NOT NULL COMMENT 'UTC instant.',
  `ends_at` DATETIME(6) NOT NULL COMMENT 'Exclusive end, UTC.',
  `status` VARCHAR(32) NOT NULL DEFAULT 'available' COMMENT 'See slot_status.',
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'Publication time.',
  `updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'Last change.',
  PRIMARY KEY (`id`),
  CONSTRAINT `ck_availability_slots_status` CHECK (
    `status` IN ('available', 'booked', 'withdrawn')
  ),
  CONSTRAINT `ck_slots_time_order` CHECK (`ends_at` > `starts_at`),
  CONSTRAINT `fk_slots_practitioner` FOREIGN KEY (`practitioner_id`)
    REFERENCES `practitioners` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='A practitioner''s bookable interval.';

CREATE INDEX `ix_slots_practitioner_starts`
  ON `availability_slots` (`practitioner_id`, `starts_at`);

CREATE TABLE `appointments` (
  `id` BIGINT NOT NULL AUTO_INCREMENT COMMENT 'Surrogate key.',
  `slot_id` BIGINT NOT NULL COMMENT 'Booked slot.',
  `patient_id` BIGINT NOT NULL COMMENT 'Booking patient.',
  `status` VARCHAR(32) NOT NULL DEFAULT 'booked' COMMENT 'See appointment_status.',
  `booked_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'Database clock.',
  `slot_starts_at` DATETIME(6) NOT NULL COMMENT 'Slot start, for the upcoming-list index; booked slots cannot move.',
  `idempotency_key` VARCHAR(64) COMMENT 'Idempotency-Key header, lower-cased (D13).',
  `idempotency_fingerprint` VARCHAR(64) COMMENT 'Hex SHA-256 of the first request; retries must match.',
  `cancelled_at` DATETIME(6) COMMENT 'Database clock.',
  `cancelled_by_user_id` BIGINT COMMENT 'Who cancelled.',
  `cancelled_by_role` VARCHAR(32) COMMENT 'Which side.',
  `cancellation_reason` VARCHAR(500) COMMENT 'May hold health data: never logged or notified.',
  `attendance_recorded_at` DATETIME(6) COMMENT 'Database clock.',
  `active_slot_id` BIGINT GENERATED ALWAYS AS (
    CASE WHEN `status` <> 'cancelled' THEN `slot_id` END
  ) STORED COMMENT 'slot_id unless cancelled; completed and no-show keep the slot.',
  PRIMARY KEY (`id`),
  CONSTRAINT `uq_appointments_active_slot` UNIQUE (`active_slot_id`),
  CONSTRAINT `uq_appointments_patient_idempotency` UNIQUE (`patient_id`, `idempotency_key`),
  CONSTRAINT `ck_appointments_status` CHECK (
    `status` IN ('booked', 'cancelled', 'completed', 'no_show')
  ),
  CONSTRAINT `ck_appointments_cancelled_by_role` CHECK (
    `cancelled_by_role` IN ('patient', 'practitioner')
  ),
  CONSTRAINT `ck_appointments_idempotency_pair` CHECK (
    (`idempotency_key` IS NULL AND `idempotency_fingerprint` IS NULL)
    OR (`idempotency_key` IS NOT NULL AND `idempotency_fingerprint` IS NOT NULL)
  ),
  CONSTRAINT `ck_appointments_cancellation_fields` CHECK (
    (`status` <> 'cancelled' AND `cancelled_at` IS NULL AND `cancelled_by_role` IS NULL)
    OR (`status` = 'cancelled' AND `cancelled_at` IS NOT NULL AND `cancelled_by_role` IS NOT NULL)
  ),
  CONSTRAINT `ck_appointments_attendance_fields` CHECK (
    (`status` IN ('completed', 'no_show') AND `attendance_recorded_at` IS NOT NULL)
    OR (`status` IN ('booked', 'cancelled') AND `attendance_recorded_at` IS NULL)
  ),
  CONSTRAINT `fk_appointments_slot` FOREIGN KEY (`slot_id`)
    REFERENCES `availability_slots` (`id`) ON DELETE RESTRICT,
  CONSTRAINT `fk_appointments_patient` FOREIGN KEY (`patient_id`)
    REFERENCES `patients` (`id`) ON DELETE RESTRICT,
  CONSTRAINT `fk_appointments_cancelled_by` FOREIGN KEY (`cancelled_by_user_id`)
    REFERENCES `users` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='A booking of one slot; never deleted.';

CREATE INDEX `ix_appointments_patient_upcoming`
  ON `appointments` (`patient_id`, `status`, `slot_starts_at`, `id`);

CREATE INDEX `ix_appointments_slot` ON `appointments` (`slot_id`);

CREATE INDEX `ix_appointments_cancelled_by` ON `appointments` (`cancelled_by_user_id`);

CREATE TABLE `appointment_events` (
  `id` BIGINT NOT NULL AUTO_INCREMENT COMMENT 'Consumers deduplicate by it.',
  `appointment_id` BIGINT NOT NULL COMMENT 'The appointment.',
  `event_type` VARCHAR(32) NOT NULL COMMENT 'What happened.',
  `actor_user_id` BIGINT NOT NULL COMMENT 'Who acted.',
  `actor_role` VARCHAR(32) NOT NULL COMMENT 'Side acted for.',
  `occurred_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'Database clock.',
  PRIMARY KEY (`id`),
  CONSTRAINT `uq_appointment_events_once` UNIQUE (`appointment_id`, `event_type`),
  CONSTRAINT `ck_appointment_events_event_type` CHECK (
    `event_type` IN ('booked', 'cancelled', 'completed', 'no_show')
  ),
  CONSTRAINT `ck_appointment_events_actor_role` CHECK (`actor_role` IN ('patient', 'practitioner')),
  CONSTRAINT `fk_appointment_events_appointment` FOREIGN KEY (`appointment_id`)
    REFERENCES `appointments` (`id`) ON DELETE RESTRICT,
  CONSTRAINT `fk_appointment_events_actor` FOREIGN KEY (`actor_user_id`)
    REFERENCES `users` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='Audit trail: insert-only, retained, no free text (D17, D18).';

CREATE INDEX `ix_appointment_events_actor` ON `appointment_events` (`actor_user_id`);

CREATE TABLE `appointment_outbox` (
  `event_id` BIGINT NOT NULL COMMENT 'Also the message id.',
  `enqueued_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'Relay order; oldest row''s age is alerted.',
  PRIMARY KEY (`event_id`),
  CONSTRAINT `fk_appointment_outbox_event` FOREIGN KEY (`event_id`)
    REFERENCES `appointment_events` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='Events awaiting the relay, deleted once published (D17).';

CREATE TABLE `practitioner_time_zones` (
  `practitioner_id` BIGINT NOT NULL COMMENT 'The practitioner.',
  `time_zone` VARCHAR(64) NOT NULL COMMENT 'IANA name, service-validated.',
  `updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'When last set.',
  PRIMARY KEY (`practitioner_id`),
  CONSTRAINT `fk_practitioner_time_zones_practitioner` FOREIGN KEY (`practitioner_id`)
    REFERENCES `practitioners` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='A practitioner''s IANA zone; defines "a date" in slot listings.';
