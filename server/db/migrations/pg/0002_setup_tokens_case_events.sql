CREATE TABLE "case_events" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"community" text NOT NULL,
	"case_id" text NOT NULL,
	"id" text NOT NULL,
	"hash" text NOT NULL,
	"head" text NOT NULL,
	"ct" "bytea" NOT NULL,
	"received_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "setup_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"created_at" text NOT NULL,
	"spent_at" text,
	"community" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_community_id" ON "case_events" USING btree ("community","id");--> statement-breakpoint
CREATE INDEX "case_events_community_seq" ON "case_events" USING btree ("community","seq");