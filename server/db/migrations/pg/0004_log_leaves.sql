CREATE TABLE "log_leaves" (
	"community" text NOT NULL,
	"idx" bigint NOT NULL,
	"kind" text NOT NULL,
	"hash" text NOT NULL,
	"leaf" "bytea" NOT NULL,
	CONSTRAINT "log_leaves_community_idx_pk" PRIMARY KEY("community","idx")
);
--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "log_size" bigint DEFAULT 0 NOT NULL;