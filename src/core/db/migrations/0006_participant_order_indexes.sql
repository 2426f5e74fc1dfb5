DROP INDEX "documents_presented_to_idx";--> statement-breakpoint
DROP INDEX "documents_signer_idx";--> statement-breakpoint
CREATE INDEX "documents_presented_to_idx" ON "documents" USING btree ("presented_to","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "documents"."presented_to" is not null;--> statement-breakpoint
CREATE INDEX "documents_signer_idx" ON "documents" USING btree ("signer_user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "documents"."signer_user_id" is not null;