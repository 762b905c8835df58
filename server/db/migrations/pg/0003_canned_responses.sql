CREATE TABLE "canned_responses" (
	"community" text NOT NULL,
	"seq" bigint NOT NULL,
	"payload" text NOT NULL,
	"signature" text NOT NULL,
	"received_at" text NOT NULL,
	CONSTRAINT "canned_responses_community_seq_pk" PRIMARY KEY("community","seq")
);
