CREATE TABLE `directory_entries` (
	`community` text NOT NULL,
	`key` text NOT NULL,
	`text` text NOT NULL,
	`hash` blob NOT NULL,
	`added_in` integer NOT NULL,
	`removed_in` integer,
	PRIMARY KEY(`community`, `key`, `added_in`)
);
--> statement-breakpoint
CREATE TABLE `directory_versions` (
	`community` text NOT NULL,
	`version` integer NOT NULL,
	`payload` text NOT NULL,
	`signature` text NOT NULL,
	`entry_count` integer NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`community`, `version`)
);
