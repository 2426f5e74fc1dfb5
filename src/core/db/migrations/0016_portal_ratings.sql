CREATE TABLE "dossier_ratings" (
	"dossier_id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"deciding_unit_id" uuid NOT NULL,
	"procedure_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"scores" smallint[],
	"total" smallint,
	"level" smallint,
	"comment" text,
	"rated_by" uuid NOT NULL,
	"rated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "dossier_ratings_scores_ck" CHECK ("dossier_ratings"."scores" IS NULL OR (cardinality("dossier_ratings"."scores") = 9 AND 0 <= ALL("dossier_ratings"."scores") AND 2 >= ALL("dossier_ratings"."scores"))),
	CONSTRAINT "dossier_ratings_level_ck" CHECK ("dossier_ratings"."level" IS NULL OR "dossier_ratings"."level" BETWEEN 1 AND 5),
	CONSTRAINT "dossier_ratings_given_ck" CHECK ("dossier_ratings"."scores" IS NOT NULL OR "dossier_ratings"."level" IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "dossier_ratings" ADD CONSTRAINT "dossier_ratings_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_ratings" ADD CONSTRAINT "dossier_ratings_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_ratings" ADD CONSTRAINT "dossier_ratings_deciding_unit_id_units_id_fk" FOREIGN KEY ("deciding_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_ratings" ADD CONSTRAINT "dossier_ratings_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_ratings" ADD CONSTRAINT "dossier_ratings_rated_by_users_id_fk" FOREIGN KEY ("rated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dossier_ratings_unit_idx" ON "dossier_ratings" USING btree ("unit_id","rated_at");--> statement-breakpoint
CREATE INDEX "dossier_ratings_deciding_unit_idx" ON "dossier_ratings" USING btree ("deciding_unit_id","rated_at");