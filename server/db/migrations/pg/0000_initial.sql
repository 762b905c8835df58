CREATE TABLE "communities" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" text NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "manifests" (
	"community" text NOT NULL,
	"seq" bigint NOT NULL,
	"payload" text NOT NULL,
	"signature" text NOT NULL,
	"stored_at" text NOT NULL,
	CONSTRAINT "manifests_community_seq_pk" PRIMARY KEY("community","seq")
);
--> statement-breakpoint
CREATE TABLE "relay_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"community" text NOT NULL,
	"seq" bigint NOT NULL,
	"id" text NOT NULL,
	"hash" text NOT NULL,
	"head" text NOT NULL,
	"ct" "bytea" NOT NULL,
	"received_at" text NOT NULL,
	CONSTRAINT "reports_community_seq_pk" PRIMARY KEY("community","seq")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"community" text NOT NULL,
	"sign_key" text NOT NULL,
	"challenge" text NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "sessions_challenge_unique" UNIQUE("challenge")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "reports_community_id" ON "reports" USING btree ("community","id");