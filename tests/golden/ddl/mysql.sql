-- Medbook appointment booking 1.0.0
-- MySQL migration.
-- Generated from the design spec by medbook-design; do not edit by hand. Change the spec,
-- then run `medbook-design build` (the site's artifacts) or
-- `medbook-design ddl --spec <spec directory> --dialect mysql`.
-- MySQL commits each DDL statement: after a failure, run the rollback (every DROP is
-- IF EXISTS, and the new tables hold no data yet), then this script again.

SET SESSION lock_wait_timeout = 5;

CREATE TABLE `patients` (
  `id` BIGINT NOT NULL AUTO_INCREMENT COMMENT 'Surrogate key of the patient; the id appointments refer to.',
  `user_id` BIGINT NOT NULL COMMENT 'The user this patient profile belongs to (one profile per user).',
  `phone` VARCHAR(32) COMMENT 'Contact number for appointment reminders, E.164 format.',
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'When the patient profile was created (first booking or sign-up).',
  PRIMARY KEY (`id`),
  CONSTRAINT `uq_patients_user` UNIQUE (`user_id`),
  CONSTRAINT `fk_patients_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='A user''s patient profile: the party who books appointments. Mirrors the existing practitioners table so users stay untouched and patient-only data has one home.';

/* nx_slots_practitioner_no_overlap: MySQL has no exclusion constraints; no overlapping
   [starts_at, ends_at) per practitioner_id is enforced by the operations create_slot,
   update_slot */
CREATE TABLE `availability_slots` (
  `id` BIGINT NOT NULL AUTO_INCREMENT COMMENT 'Surrogate key of the slot.',
  `practitioner_id` BIGINT NOT NULL COMMENT 'The practitioner whose time this is.',
  `starts_at` DATETIME(6) NOT NULL COMMENT 'Start of the slot, an instant stored in UTC.',
  `ends_at` DATETIME(6) NOT NULL COMMENT 'End of the slot (exclusive), an instant stored in UTC.',
  `status` VARCHAR(32) NOT NULL DEFAULT 'available' COMMENT 'available until booked; booked while an active appointment holds it; withdrawn when the practitioner deletes it.',
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'When the slot was published.',
  `updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'Last change of times or status; written by every operation that changes the row.',
  PRIMARY KEY (`id`),
  CONSTRAINT `ck_availability_slots_status` CHECK (
    `status` IN ('available', 'booked', 'withdrawn')
  ),
  CONSTRAINT `ck_slots_time_order` CHECK (`ends_at` > `starts_at`),
  CONSTRAINT `fk_slots_practitioner` FOREIGN KEY (`practitioner_id`)
    REFERENCES `practitioners` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='One bookable interval of one practitioner''s time. Practitioners publish slots; patients book them. The status column is what the booking transaction claims.';

CREATE INDEX `ix_slots_practitioner_starts`
  ON `availability_slots` (`practitioner_id`, `starts_at`);

CREATE TABLE `appointments` (
  `id` BIGINT NOT NULL AUTO_INCREMENT COMMENT 'Surrogate key of the appointment.',
  `slot_id` BIGINT NOT NULL COMMENT 'The slot this appointment books.',
  `patient_id` BIGINT NOT NULL COMMENT 'The patient who booked.',
  `status` VARCHAR(32) NOT NULL DEFAULT 'booked' COMMENT 'booked until either side cancels or the practitioner records attendance (completed or no_show).',
  `booked_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'When the booking was made, by the database clock.',
  `slot_starts_at` DATETIME(6) NOT NULL COMMENT 'The slot''s starts_at when it was booked, copied so "my upcoming appointments" can filter and sort on one index. A slot with an appointment that is not cancelled cannot move (update_slot needs status available), so the copy stays equal to it.',
  `idempotency_key` VARCHAR(64) COMMENT 'The client''s Idempotency-Key header for the booking request, lower-cased, so a retried POST returns the first result instead of booking twice.',
  `idempotency_fingerprint` VARCHAR(64) COMMENT 'Hex SHA-256 of the booking request the key was first sent with (slot_id and seen_starts_at, canonical JSON); a retry with the same key must match it.',
  `cancelled_at` DATETIME(6) COMMENT 'When the appointment was cancelled, by the database clock; NULL while booked.',
  `cancelled_by_user_id` BIGINT COMMENT 'The user who cancelled (the patient''s or the practitioner''s user); NULL while booked.',
  `cancelled_by_role` VARCHAR(32) COMMENT 'Which side cancelled; the cancellation cutoff applies to patients only.',
  `cancellation_reason` VARCHAR(500) COMMENT 'Optional free-text reason given when cancelling. May contain health information; never copied into logs or notifications.',
  `attendance_recorded_at` DATETIME(6) COMMENT 'When the practitioner recorded completed or no_show, by the database clock; NULL otherwise.',
  `active_slot_id` BIGINT GENERATED ALWAYS AS (
    CASE WHEN `status` <> 'cancelled' THEN `slot_id` END
  ) STORED COMMENT 'Equals slot_id unless the appointment is cancelled (a completed or no-show visit still used its slot); its unique index allows one such appointment per slot while keeping cancelled history.',
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
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='A patient''s booking of one slot. Rows are never deleted: cancellation changes the status, so the table is the booking history. At most one row per slot is active.';

CREATE INDEX `ix_appointments_patient_upcoming`
  ON `appointments` (`patient_id`, `status`, `slot_starts_at`, `id`);

CREATE INDEX `ix_appointments_slot` ON `appointments` (`slot_id`);

CREATE INDEX `ix_appointments_cancelled_by` ON `appointments` (`cancelled_by_user_id`);

CREATE TABLE `appointment_events` (
  `id` BIGINT NOT NULL AUTO_INCREMENT COMMENT 'Surrogate key of the event; also the event id notification consumers deduplicate by.',
  `appointment_id` BIGINT NOT NULL COMMENT 'The appointment the event happened to.',
  `event_type` VARCHAR(32) NOT NULL COMMENT 'What happened.',
  `actor_user_id` BIGINT NOT NULL COMMENT 'The user whose request caused the event.',
  `actor_role` VARCHAR(32) NOT NULL COMMENT 'The side the actor acted for.',
  `occurred_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'When it happened, by the database clock (the transaction''s time).',
  PRIMARY KEY (`id`),
  CONSTRAINT `uq_appointment_events_once` UNIQUE (`appointment_id`, `event_type`),
  CONSTRAINT `ck_appointment_events_event_type` CHECK (`event_type` IN ('booked', 'cancelled')),
  CONSTRAINT `ck_appointment_events_actor_role` CHECK (`actor_role` IN ('patient', 'practitioner')),
  CONSTRAINT `fk_appointment_events_appointment` FOREIGN KEY (`appointment_id`)
    REFERENCES `appointments` (`id`) ON DELETE RESTRICT,
  CONSTRAINT `fk_appointment_events_actor` FOREIGN KEY (`actor_user_id`)
    REFERENCES `users` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='The audit trail of appointments: one row per thing that happened to an appointment, written in the transaction that made it happen. Append-only and retained (decision D17); it holds ids, roles and times, never names, notes or free text.';

CREATE INDEX `ix_appointment_events_actor` ON `appointment_events` (`actor_user_id`);

CREATE TABLE `appointment_outbox` (
  `event_id` BIGINT NOT NULL COMMENT 'The appointment event to publish; its id is the message id consumers deduplicate by.',
  `enqueued_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'When the row was written; the relay publishes oldest first and the age of the oldest row is alerted on.',
  PRIMARY KEY (`event_id`),
  CONSTRAINT `fk_appointment_outbox_event` FOREIGN KEY (`event_id`)
    REFERENCES `appointment_events` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='Notifications not yet handed to the message broker: one row per appointment event, written in the same transaction as the event, deleted by the relay once published. Transient; normally empty or a few rows.';

CREATE TABLE `practitioner_time_zones` (
  `practitioner_id` BIGINT NOT NULL COMMENT 'The practitioner.',
  `time_zone` VARCHAR(64) NOT NULL COMMENT 'IANA zone name, validated by the service against its zone database.',
  `updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'When the zone was last set.',
  PRIMARY KEY (`practitioner_id`),
  CONSTRAINT `fk_practitioner_time_zones_practitioner` FOREIGN KEY (`practitioner_id`)
    REFERENCES `practitioners` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4 COMMENT='The IANA time zone a practitioner works in, which defines "a date" when patients list their slots. A table of its own because practitioners is owned by the profiles service and stays unchanged.';
