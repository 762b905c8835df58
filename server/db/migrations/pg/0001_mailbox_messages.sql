CREATE TABLE "mailbox_messages" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mailbox_messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"community" text NOT NULL,
	"mailbox" text NOT NULL,
	"id" text NOT NULL,
	"hash" text NOT NULL,
	"head" text NOT NULL,
	"ct" "bytea" NOT NULL,
	"sender" text NOT NULL,
	"received_at" text NOT NULL,
	CONSTRAINT "mailbox_messages_sender" CHECK ("mailbox_messages"."sender" in ('broker', 'complainant'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "mailbox_messages_community_id" ON "mailbox_messages" USING btree ("community","id");--> statement-breakpoint
CREATE INDEX "mailbox_messages_mailbox_seq" ON "mailbox_messages" USING btree ("community","mailbox","seq");