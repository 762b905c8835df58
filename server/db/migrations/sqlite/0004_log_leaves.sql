CREATE TABLE `log_leaves` (
	`community` text NOT NULL,
	`idx` integer NOT NULL,
	`kind` text NOT NULL,
	`hash` text NOT NULL,
	`leaf` blob NOT NULL,
	PRIMARY KEY(`community`, `idx`)
);
--> statement-breakpoint
ALTER TABLE `communities` ADD `log_size` integer DEFAULT 0 NOT NULL;