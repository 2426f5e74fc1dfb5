CREATE TABLE "pending_signatures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"source_file_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"user_id" uuid NOT NULL,
	"credential_id" uuid,
	"prepared_sha256" text NOT NULL,
	"byte_range" jsonb NOT NULL,
	"content_digest" text NOT NULL,
	"options" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"finalised_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "signature_images" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"owner" text NOT NULL,
	"user_id" uuid,
	"file_id" uuid NOT NULL,
	"seal_diameter_mm" real,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signature_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"document_id" uuid,
	"file_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"action" text NOT NULL,
	"method" text,
	"credential_id" uuid,
	"actor_id" uuid,
	"actor_name" text,
	"at" timestamp with time zone NOT NULL,
	"field_name" text,
	"placement" jsonb,
	"level" text,
	"valid" boolean NOT NULL,
	"signature_count" integer NOT NULL,
	"verdict" text NOT NULL,
	"report" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_authorities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"certificate" text NOT NULL,
	"private_key_encrypted" text NOT NULL,
	"key_algorithm" jsonb NOT NULL,
	"key_id" text NOT NULL,
	"revoked_serials" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_credentials" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"owner" text NOT NULL,
	"user_id" uuid,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"pkcs12_encrypted" text,
	"key_id" text,
	"remote_credential_id" text,
	"remote_user_id" text,
	"certificates" jsonb NOT NULL,
	"subject" text NOT NULL,
	"issuer" text NOT NULL,
	"serial_number" text NOT NULL,
	"fingerprint" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trusted_roots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"certificate" text NOT NULL,
	"subject" text NOT NULL,
	"issuer" text NOT NULL,
	"serial_number" text NOT NULL,
	"fingerprint" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pending_signatures" ADD CONSTRAINT "pending_signatures_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_signatures" ADD CONSTRAINT "pending_signatures_source_file_id_files_id_fk" FOREIGN KEY ("source_file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pending_signatures" ADD CONSTRAINT "pending_signatures_credential_id_signing_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."signing_credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_images" ADD CONSTRAINT "signature_images_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_images" ADD CONSTRAINT "signature_images_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_images" ADD CONSTRAINT "signature_images_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_records" ADD CONSTRAINT "signature_records_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_records" ADD CONSTRAINT "signature_records_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_credentials" ADD CONSTRAINT "signing_credentials_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_credentials" ADD CONSTRAINT "signing_credentials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pending_signatures_doc_idx" ON "pending_signatures" USING btree ("document_id","status");--> statement-breakpoint
CREATE INDEX "pending_signatures_user_idx" ON "pending_signatures" USING btree ("user_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "signature_images_user_uq" ON "signature_images" USING btree ("user_id") WHERE "signature_images"."owner" = 'official';--> statement-breakpoint
CREATE UNIQUE INDEX "signature_images_unit_uq" ON "signature_images" USING btree ("unit_id") WHERE "signature_images"."owner" = 'unit';--> statement-breakpoint
CREATE INDEX "signature_records_doc_idx" ON "signature_records" USING btree ("document_id","at") WHERE "signature_records"."document_id" is not null;--> statement-breakpoint
CREATE INDEX "signature_records_file_idx" ON "signature_records" USING btree ("file_id","at");--> statement-breakpoint
CREATE INDEX "signing_credentials_user_idx" ON "signing_credentials" USING btree ("user_id") WHERE "signing_credentials"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "signing_credentials_unit_idx" ON "signing_credentials" USING btree ("unit_id","owner");--> statement-breakpoint
CREATE INDEX "signing_credentials_fingerprint_idx" ON "signing_credentials" USING btree ("fingerprint");--> statement-breakpoint
CREATE UNIQUE INDEX "trusted_roots_fingerprint_uq" ON "trusted_roots" USING btree ("fingerprint");