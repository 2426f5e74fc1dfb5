DROP INDEX "documents_created_by_idx";--> statement-breakpoint
DROP INDEX "documents_presented_to_idx";--> statement-breakpoint
DROP INDEX "documents_signer_idx";--> statement-breakpoint
CREATE INDEX "documents_created_by_idx" ON "documents" USING btree ("created_by","secrecy","unit_id","id");--> statement-breakpoint
CREATE INDEX "documents_presented_to_idx" ON "documents" USING btree ("presented_to","secrecy","unit_id","id") WHERE "documents"."presented_to" is not null;--> statement-breakpoint
CREATE INDEX "documents_signer_idx" ON "documents" USING btree ("signer_user_id","secrecy","unit_id","id") WHERE "documents"."signer_user_id" is not null;