CREATE TABLE "attachment_chunks" (
	"community" text NOT NULL,
	"file" text NOT NULL,
	"idx" bigint NOT NULL,
	"report" text NOT NULL,
	"last" boolean NOT NULL,
	"bytes" bigint NOT NULL,
	"hash" text NOT NULL,
	"received_at" text NOT NULL,
	"envelope" "bytea" NOT NULL,
	CONSTRAINT "attachment_chunks_community_file_idx_pk" PRIMARY KEY("community","file","idx")
);
--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "attachment_bytes" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "attachment_chunks_report" ON "attachment_chunks" USING btree ("community","report","file","idx");