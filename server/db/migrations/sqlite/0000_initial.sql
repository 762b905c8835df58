CREATE TABLE `communities` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`last_seq` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `manifests` (
	`community` text NOT NULL,
	`seq` integer NOT NULL,
	`payload` text NOT NULL,
	`signature` text NOT NULL,
	`stored_at` text NOT NULL,
	PRIMARY KEY(`community`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `relay_secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`value` blob NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`community` text NOT NULL,
	`seq` integer NOT NULL,
	`id` text NOT NULL,
	`hash` text NOT NULL,
	`head` text NOT NULL,
	`ct` blob NOT NULL,
	`received_at` text NOT NULL,
	PRIMARY KEY(`community`, `seq`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_community_id` ON `reports` (`community`,`id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`community` text NOT NULL,
	`sign_key` text NOT NULL,
	`challenge` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_challenge_unique` ON `sessions` (`challenge`);