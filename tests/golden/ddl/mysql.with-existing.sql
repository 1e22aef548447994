-- Medbook appointment booking 1.0.0
-- MySQL migration for scratch databases (existing tables too).
-- Generated from the design spec by medbook-design; do not edit by hand. Change the spec,
-- then run `medbook-design build` (the site's artifacts) or
-- `medbook-design ddl --spec <spec directory> --dialect mysql --with-existing`.

CREATE TABLE `users` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `email` VARCHAR(255) NOT NULL,
  `name` VARCHAR(255) NOT NULL,
  `role` VARCHAR(32) NOT NULL,
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`id`),
  CONSTRAINT `uq_users_email` UNIQUE (`email`),
  CONSTRAINT `ck_users_role` CHECK (`role` IN ('patient', 'practitioner', 'admin'))
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4;

CREATE TABLE `practitioners` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `user_id` BIGINT NOT NULL,
  `specialty` VARCHAR(100) NOT NULL,
  `bio` TEXT,
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`id`),
  CONSTRAINT `fk_practitioners_user` FOREIGN KEY (`user_id`)
    REFERENCES `users` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4;

CREATE TABLE `patients` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `user_id` BIGINT NOT NULL,
  `phone` VARCHAR(32),
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`id`),
  CONSTRAINT `uq_patients_user` UNIQUE (`user_id`),
  CONSTRAINT `fk_patients_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4;

/* nx_slots_practitioner_no_overlap: MySQL has no exclusion constraints; no overlapping
   [starts_at, ends_at) per practitioner_id is enforced by the operations create_slot,
   update_slot */
CREATE TABLE `availability_slots` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `practitioner_id` BIGINT NOT NULL,
  `starts_at` DATETIME(6) NOT NULL,
  `ends_at` DATETIME(6) NOT NULL,
  `status` VARCHAR(32) NOT NULL DEFAULT 'available',
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  `updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`id`),
  CONSTRAINT `ck_availability_slots_status` CHECK (
    `status` IN ('available', 'booked', 'withdrawn')
  ),
  CONSTRAINT `ck_slots_time_order` CHECK (`ends_at` > `starts_at`),
  CONSTRAINT `fk_slots_practitioner` FOREIGN KEY (`practitioner_id`)
    REFERENCES `practitioners` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4;

CREATE INDEX `ix_slots_practitioner_starts`
  ON `availability_slots` (`practitioner_id`, `starts_at`);

CREATE TABLE `appointments` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `slot_id` BIGINT NOT NULL,
  `patient_id` BIGINT NOT NULL,
  `status` VARCHAR(32) NOT NULL DEFAULT 'booked',
  `booked_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  `idempotency_key` VARCHAR(64),
  `cancelled_at` DATETIME(6),
  `cancelled_by_user_id` BIGINT,
  `cancelled_by_role` VARCHAR(32),
  `cancellation_reason` VARCHAR(500),
  `active_slot_id` BIGINT GENERATED ALWAYS AS (
    CASE WHEN `status` = 'booked' THEN `slot_id` END
  ) STORED,
  PRIMARY KEY (`id`),
  CONSTRAINT `uq_appointments_active_slot` UNIQUE (`active_slot_id`),
  CONSTRAINT `uq_appointments_patient_idempotency` UNIQUE (`patient_id`, `idempotency_key`),
  CONSTRAINT `ck_appointments_status` CHECK (`status` IN ('booked', 'cancelled')),
  CONSTRAINT `ck_appointments_cancelled_by_role` CHECK (
    `cancelled_by_role` IN ('patient', 'practitioner')
  ),
  CONSTRAINT `ck_appointments_cancellation_fields` CHECK (
    (`status` = 'booked' AND `cancelled_at` IS NULL AND `cancelled_by_role` IS NULL)
    OR (`status` = 'cancelled' AND `cancelled_at` IS NOT NULL AND `cancelled_by_role` IS NOT NULL)
  ),
  CONSTRAINT `fk_appointments_slot` FOREIGN KEY (`slot_id`)
    REFERENCES `availability_slots` (`id`) ON DELETE RESTRICT,
  CONSTRAINT `fk_appointments_patient` FOREIGN KEY (`patient_id`)
    REFERENCES `patients` (`id`) ON DELETE RESTRICT,
  CONSTRAINT `fk_appointments_cancelled_by` FOREIGN KEY (`cancelled_by_user_id`)
    REFERENCES `users` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4;

CREATE INDEX `ix_appointments_patient_status` ON `appointments` (`patient_id`, `status`);

CREATE INDEX `ix_appointments_slot` ON `appointments` (`slot_id`);

CREATE INDEX `ix_appointments_cancelled_by` ON `appointments` (`cancelled_by_user_id`);

CREATE TABLE `appointment_events` (
  `id` BIGINT NOT NULL AUTO_INCREMENT,
  `appointment_id` BIGINT NOT NULL,
  `event_type` VARCHAR(32) NOT NULL,
  `actor_user_id` BIGINT NOT NULL,
  `actor_role` VARCHAR(32) NOT NULL,
  `occurred_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`id`),
  CONSTRAINT `uq_appointment_events_once` UNIQUE (`appointment_id`, `event_type`),
  CONSTRAINT `ck_appointment_events_event_type` CHECK (`event_type` IN ('booked', 'cancelled')),
  CONSTRAINT `ck_appointment_events_actor_role` CHECK (`actor_role` IN ('patient', 'practitioner')),
  CONSTRAINT `fk_appointment_events_appointment` FOREIGN KEY (`appointment_id`)
    REFERENCES `appointments` (`id`) ON DELETE RESTRICT,
  CONSTRAINT `fk_appointment_events_actor` FOREIGN KEY (`actor_user_id`)
    REFERENCES `users` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4;

CREATE INDEX `ix_appointment_events_actor` ON `appointment_events` (`actor_user_id`);

CREATE TABLE `appointment_outbox` (
  `event_id` BIGINT NOT NULL,
  `enqueued_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`event_id`),
  CONSTRAINT `fk_appointment_outbox_event` FOREIGN KEY (`event_id`)
    REFERENCES `appointment_events` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4;

CREATE TABLE `practitioner_time_zones` (
  `practitioner_id` BIGINT NOT NULL,
  `time_zone` VARCHAR(64) NOT NULL,
  `updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`practitioner_id`),
  CONSTRAINT `fk_practitioner_time_zones_practitioner` FOREIGN KEY (`practitioner_id`)
    REFERENCES `practitioners` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARACTER SET=utf8mb4;
