CREATE TABLE "dossier_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"dossier_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"unit_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"actor_kind" text NOT NULL,
	"action" text NOT NULL,
	"from_status" smallint,
	"to_status" smallint NOT NULL,
	"step_position" integer,
	"step_name" text,
	"to_user_id" uuid,
	"to_user_name" text,
	"to_unit_id" uuid,
	"to_unit_name" text,
	"step_due_at" timestamp with time zone,
	"step_outcome" text,
	"reason" text,
	"note" text,
	"form_number" text,
	"detail" jsonb,
	"idempotency_key" text
);
--> statement-breakpoint
CREATE TABLE "dossier_code_counters" (
	"unit_id" uuid NOT NULL,
	"day" date NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "dossier_code_counters_unit_id_day_pk" PRIMARY KEY("unit_id","day")
);
--> statement-breakpoint
CREATE TABLE "dossier_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"dossier_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"document_index" integer,
	"document_name" text,
	"action_id" uuid,
	"added_by" uuid,
	"added_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossier_units" (
	"dossier_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"part" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	CONSTRAINT "dossier_units_dossier_id_unit_id_pk" PRIMARY KEY("dossier_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "dossiers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"current_unit_id" uuid NOT NULL,
	"procedure_id" uuid NOT NULL,
	"procedure_version_id" uuid NOT NULL,
	"case_key" text,
	"channel" text NOT NULL,
	"code" text,
	"status" smallint NOT NULL,
	"applicant_user_id" uuid,
	"applicant" jsonb NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_id_number" text,
	"form_data" jsonb,
	"submitted_at" timestamp with time zone,
	"accept_by" timestamp with time zone,
	"received_at" timestamp with time zone,
	"time_limit" jsonb,
	"first_due_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"paused_from_status" smallint,
	"pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"supplement_deadline" timestamp with time zone,
	"apologized_at" timestamp with time zone,
	"step_position" integer,
	"step_name" text,
	"step_started_at" timestamp with time zone,
	"step_due_at" timestamp with time zone,
	"holder_user_id" uuid,
	"holder_unit_id" uuid,
	"holder_role" text,
	"approved_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"return_method" text,
	"result_file_id" uuid,
	"fee_amount" integer,
	"fee_label" text,
	"closed_at" timestamp with time zone,
	"created_by" uuid,
	"creation_key" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dossier_actions" ADD CONSTRAINT "dossier_actions_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_actions" ADD CONSTRAINT "dossier_actions_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_actions" ADD CONSTRAINT "dossier_actions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_actions" ADD CONSTRAINT "dossier_actions_to_user_id_users_id_fk" FOREIGN KEY ("to_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_actions" ADD CONSTRAINT "dossier_actions_to_unit_id_units_id_fk" FOREIGN KEY ("to_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_code_counters" ADD CONSTRAINT "dossier_code_counters_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_files" ADD CONSTRAINT "dossier_files_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_files" ADD CONSTRAINT "dossier_files_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_files" ADD CONSTRAINT "dossier_files_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_files" ADD CONSTRAINT "dossier_files_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_units" ADD CONSTRAINT "dossier_units_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_units" ADD CONSTRAINT "dossier_units_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_current_unit_id_units_id_fk" FOREIGN KEY ("current_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_procedure_version_id_procedure_versions_id_fk" FOREIGN KEY ("procedure_version_id") REFERENCES "public"."procedure_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_applicant_user_id_users_id_fk" FOREIGN KEY ("applicant_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_holder_user_id_users_id_fk" FOREIGN KEY ("holder_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_holder_unit_id_units_id_fk" FOREIGN KEY ("holder_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_result_file_id_files_id_fk" FOREIGN KEY ("result_file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossiers" ADD CONSTRAINT "dossiers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dossier_actions_seq_uq" ON "dossier_actions" USING btree ("dossier_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "dossier_actions_idempotency_uq" ON "dossier_actions" USING btree ("dossier_id","idempotency_key") WHERE "dossier_actions"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "dossier_actions_unit_at_idx" ON "dossier_actions" USING btree ("unit_id","at");--> statement-breakpoint
CREATE INDEX "dossier_files_dossier_idx" ON "dossier_files" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "dossier_files_file_idx" ON "dossier_files" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "dossier_units_unit_idx" ON "dossier_units" USING btree ("unit_id","dossier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dossiers_code_uq" ON "dossiers" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "dossiers_creation_key_uq" ON "dossiers" USING btree ("created_by","creation_key") WHERE "dossiers"."creation_key" is not null;--> statement-breakpoint
CREATE INDEX "dossiers_current_status_idx" ON "dossiers" USING btree ("current_unit_id","status","due_at");--> statement-breakpoint
CREATE INDEX "dossiers_holder_idx" ON "dossiers" USING btree ("holder_user_id","status") WHERE "dossiers"."holder_user_id" is not null;--> statement-breakpoint
CREATE INDEX "dossiers_holder_unit_idx" ON "dossiers" USING btree ("holder_unit_id","status") WHERE "dossiers"."holder_unit_id" is not null;--> statement-breakpoint
CREATE INDEX "dossiers_desk_idx" ON "dossiers" USING btree ("unit_id","status","accept_by");--> statement-breakpoint
CREATE INDEX "dossiers_received_idx" ON "dossiers" USING btree ("unit_id","received_at");--> statement-breakpoint
CREATE INDEX "dossiers_applicant_idx" ON "dossiers" USING btree ("applicant_user_id","created_at") WHERE "dossiers"."applicant_user_id" is not null;--> statement-breakpoint
CREATE INDEX "dossiers_applicant_id_number_idx" ON "dossiers" USING btree ("applicant_id_number");