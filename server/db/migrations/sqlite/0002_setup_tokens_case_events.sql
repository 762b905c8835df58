CREATE TABLE `case_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`community` text NOT NULL,
	`case_id` text NOT NULL,
	`id` text NOT NULL,
	`hash` text NOT NULL,
	`head` text NOT NULL,
	`ct` blob NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `case_events_community_id` ON `case_events` (`community`,`id`);--> statement-breakpoint
CREATE INDEX `case_events_community_seq` ON `case_events` (`community`,`seq`);--> statement-breakpoint
CREATE TABLE `setup_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`spent_at` text,
	`community` text
);
