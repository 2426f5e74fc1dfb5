DROP INDEX "assignments_user_inbox_idx";--> statement-breakpoint
DROP INDEX "documents_created_by_idx";--> statement-breakpoint
DROP INDEX "documents_presented_to_idx";--> statement-breakpoint
DROP INDEX "documents_signer_idx";--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "chain" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "document_recalled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_chain_idx" ON "audit_log" USING btree ("chain","seq");--> statement-breakpoint
CREATE INDEX "assignments_user_inbox_idx" ON "assignments" USING btree ("assignee_user_id","status","completed_at","due_date","document_recalled","document_id");--> statement-breakpoint
CREATE INDEX "documents_created_by_idx" ON "documents" USING btree ("created_by","created_at" DESC NULLS LAST,"id" DESC NULLS LAST,"secrecy","unit_id","direction");--> statement-breakpoint
CREATE INDEX "documents_presented_to_idx" ON "documents" USING btree ("presented_to","created_at" DESC NULLS LAST,"id" DESC NULLS LAST,"secrecy","unit_id","direction") WHERE "documents"."presented_to" is not null;--> statement-breakpoint
CREATE INDEX "documents_signer_idx" ON "documents" USING btree ("signer_user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST,"secrecy","unit_id","direction") WHERE "documents"."signer_user_id" is not null;--> statement-breakpoint
-- Assignments of documents recalled before this migration leave the inboxes as recall.ts now marks them.
UPDATE "assignments" a SET "document_recalled" = true FROM "documents" d WHERE d."id" = a."document_id" AND d."status" = 'recalled';
