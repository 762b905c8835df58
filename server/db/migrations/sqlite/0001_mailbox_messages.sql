CREATE TABLE `mailbox_messages` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`community` text NOT NULL,
	`mailbox` text NOT NULL,
	`id` text NOT NULL,
	`hash` text NOT NULL,
	`head` text NOT NULL,
	`ct` blob NOT NULL,
	`sender` text NOT NULL,
	`received_at` text NOT NULL,
	CONSTRAINT "mailbox_messages_sender" CHECK("mailbox_messages"."sender" in ('broker', 'complainant'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mailbox_messages_community_id` ON `mailbox_messages` (`community`,`id`);--> statement-breakpoint
CREATE INDEX `mailbox_messages_mailbox_seq` ON `mailbox_messages` (`community`,`mailbox`,`seq`);