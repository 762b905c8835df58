CREATE TABLE `canned_responses` (
	`community` text NOT NULL,
	`seq` integer NOT NULL,
	`payload` text NOT NULL,
	`signature` text NOT NULL,
	`received_at` text NOT NULL,
	PRIMARY KEY(`community`, `seq`)
);
