CREATE TABLE `attachment_chunks` (
	`community` text NOT NULL,
	`file` text NOT NULL,
	`idx` integer NOT NULL,
	`report` text NOT NULL,
	`last` integer NOT NULL,
	`bytes` integer NOT NULL,
	`hash` text NOT NULL,
	`received_at` text NOT NULL,
	`envelope` blob NOT NULL,
	PRIMARY KEY(`community`, `file`, `idx`)
);
--> statement-breakpoint
CREATE INDEX `attachment_chunks_report` ON `attachment_chunks` (`community`,`report`,`file`,`idx`);--> statement-breakpoint
ALTER TABLE `communities` ADD `attachment_bytes` integer DEFAULT 0 NOT NULL;