CREATE TABLE "directory_entries" (
	"community" text NOT NULL,
	"key" text NOT NULL,
	"text" text NOT NULL,
	"hash" "bytea" NOT NULL,
	"added_in" bigint NOT NULL,
	"removed_in" bigint,
	CONSTRAINT "directory_entries_community_key_added_in_pk" PRIMARY KEY("community","key","added_in")
);
--> statement-breakpoint
CREATE TABLE "directory_versions" (
	"community" text NOT NULL,
	"version" bigint NOT NULL,
	"payload" text NOT NULL,
	"signature" text NOT NULL,
	"entry_count" bigint NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "directory_versions_community_version_pk" PRIMARY KEY("community","version")
);
