DROP TABLE IF EXISTS `appointments`;

DROP TABLE IF EXISTS `availability_slots`;

DROP TABLE IF EXISTS `patients`;
