CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"unit_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"role" text NOT NULL,
	"assignee_user_id" uuid,
	"assignee_unit_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"due_date" date,
	"instruction" text,
	"urgent" boolean DEFAULT false NOT NULL,
	"parent_id" uuid,
	"assigned_by" uuid NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	"progress_note" text,
	"progress_percent" integer,
	"completed_at" timestamp with time zone,
	"result_note" text,
	"reply_document_id" uuid,
	"return_reason" text
);
--> statement-breakpoint
CREATE TABLE "document_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"action" text NOT NULL,
	"text" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "document_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"role" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_reads" (
	"document_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "document_reads_user_id_document_id_pk" PRIMARY KEY("user_id","document_id")
);
--> statement-breakpoint
CREATE TABLE "document_recipients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"unit_id" uuid,
	"receiving_unit_id" uuid,
	"agency_code" text,
	"name" text NOT NULL,
	"email" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"incoming_document_id" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "document_reviews" (
	"id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"step" integer NOT NULL,
	"kind" text NOT NULL,
	"reviewer_user_id" uuid NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "document_types" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"abbreviation" text,
	"legal_normative" boolean DEFAULT false NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"status" text NOT NULL,
	"type_code" text NOT NULL,
	"subject" text NOT NULL,
	"content_summary" text,
	"code_number" integer,
	"code_notation" text,
	"issued_date" date,
	"issued_at" timestamp with time zone,
	"place" text,
	"issuer_unit_id" uuid,
	"issuer_name" text NOT NULL,
	"issuer_code" text,
	"signer_name" text,
	"signer_position" text,
	"signer_user_id" uuid,
	"page_count" integer,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"secrecy" text DEFAULT 'none' NOT NULL,
	"due_date" date,
	"legal_normative" boolean DEFAULT false NOT NULL,
	"book_id" uuid,
	"arrival_number" integer,
	"arrival_at" timestamp with time zone,
	"received_via" text,
	"presented_to" uuid,
	"source_document_id" uuid,
	"drafting_unit_id" uuid,
	"replaces_document_id" uuid,
	"recalled_at" timestamp with time zone,
	"recall_reason" text,
	"completed_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"search_text" text NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED NOT NULL
);
--> statement-breakpoint
CREATE TABLE "register_books" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"series" text NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "register_counters" (
	"book_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "register_counters_book_id_year_pk" PRIMARY KEY("book_id","year")
);
--> statement-breakpoint
CREATE TABLE "saved_searches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"query" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_file_documents" (
	"work_file_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"added_by" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "work_file_documents_work_file_id_document_id_pk" PRIMARY KEY("work_file_id","document_id")
);
--> statement-breakpoint
CREATE TABLE "work_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"notation" text NOT NULL,
	"title" text NOT NULL,
	"retention_years" integer,
	"status" text NOT NULL,
	"owner_user_id" uuid,
	"created_by" uuid NOT NULL,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"note" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_assignee_unit_id_units_id_fk" FOREIGN KEY ("assignee_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_events" ADD CONSTRAINT "document_events_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_files" ADD CONSTRAINT "document_files_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_files" ADD CONSTRAINT "document_files_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_recipients" ADD CONSTRAINT "document_recipients_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_recipients" ADD CONSTRAINT "document_recipients_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_recipients" ADD CONSTRAINT "document_recipients_receiving_unit_id_units_id_fk" FOREIGN KEY ("receiving_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_reviews" ADD CONSTRAINT "document_reviews_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_type_code_document_types_code_fk" FOREIGN KEY ("type_code") REFERENCES "public"."document_types"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_issuer_unit_id_units_id_fk" FOREIGN KEY ("issuer_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_book_id_register_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."register_books"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_drafting_unit_id_units_id_fk" FOREIGN KEY ("drafting_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_books" ADD CONSTRAINT "register_books_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_counters" ADD CONSTRAINT "register_counters_book_id_register_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."register_books"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_file_documents" ADD CONSTRAINT "work_file_documents_work_file_id_work_files_id_fk" FOREIGN KEY ("work_file_id") REFERENCES "public"."work_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_file_documents" ADD CONSTRAINT "work_file_documents_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_files" ADD CONSTRAINT "work_files_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_uq" ON "outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "assignments_user_inbox_idx" ON "assignments" USING btree ("assignee_user_id","status","urgent" DESC NULLS LAST,"due_date");--> statement-breakpoint
CREATE INDEX "assignments_unit_inbox_idx" ON "assignments" USING btree ("assignee_unit_id","status") WHERE "assignments"."assignee_unit_id" is not null;--> statement-breakpoint
CREATE INDEX "assignments_doc_idx" ON "assignments" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "assignments_owner_idx" ON "assignments" USING btree ("unit_id","assigned_at");--> statement-breakpoint
CREATE INDEX "document_events_doc_idx" ON "document_events" USING btree ("document_id","at");--> statement-breakpoint
CREATE INDEX "document_files_doc_idx" ON "document_files" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "document_recipients_doc_idx" ON "document_recipients" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "document_recipients_queue_idx" ON "document_recipients" USING btree ("receiving_unit_id","status") WHERE "document_recipients"."receiving_unit_id" is not null;--> statement-breakpoint
CREATE INDEX "document_reviews_doc_idx" ON "document_reviews" USING btree ("document_id","round","step");--> statement-breakpoint
CREATE INDEX "document_reviews_reviewer_idx" ON "document_reviews" USING btree ("reviewer_user_id","status");--> statement-breakpoint
CREATE INDEX "documents_unit_dir_created_idx" ON "documents" USING btree ("unit_id","direction","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "documents_search_idx" ON "documents" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "documents_created_by_idx" ON "documents" USING btree ("created_by","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "documents_presented_to_idx" ON "documents" USING btree ("presented_to") WHERE "documents"."presented_to" is not null;--> statement-breakpoint
CREATE INDEX "documents_dup_idx" ON "documents" USING btree ("unit_id","code_number","issued_date");--> statement-breakpoint
CREATE INDEX "documents_source_idx" ON "documents" USING btree ("source_document_id") WHERE "documents"."source_document_id" is not null;--> statement-breakpoint
CREATE INDEX "documents_book_idx" ON "documents" USING btree ("book_id","arrival_number");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_outgoing_number_uq" ON "documents" USING btree ("unit_id","book_id","code_number",(extract(year from "issued_date"))) WHERE "documents"."direction" = 'outgoing' and "documents"."code_number" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "register_books_unit_series_uq" ON "register_books" USING btree ("unit_id","direction","series");--> statement-breakpoint
CREATE INDEX "saved_searches_user_idx" ON "saved_searches" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "work_file_documents_doc_idx" ON "work_file_documents" USING btree ("document_id");--> statement-breakpoint
CREATE UNIQUE INDEX "work_files_unit_year_notation_uq" ON "work_files" USING btree ("unit_id","year","notation");--> statement-breakpoint
-- Document types of Decree 30/2020/NĐ-CP (Appendix III), in force from 05/03/2020.
INSERT INTO "document_types" ("code", "name", "abbreviation", "legal_normative", "sort_order", "valid_from") VALUES
('NQ', 'Nghị quyết', 'NQ', true, 1, '2020-03-05'),
('QD', 'Quyết định', 'QĐ', true, 2, '2020-03-05'),
('CT', 'Chỉ thị', 'CT', false, 3, '2020-03-05'),
('QC', 'Quy chế', 'QC', false, 4, '2020-03-05'),
('QYD', 'Quy định', 'QyĐ', false, 5, '2020-03-05'),
('TC', 'Thông cáo', 'TC', false, 6, '2020-03-05'),
('TB', 'Thông báo', 'TB', false, 7, '2020-03-05'),
('HD', 'Hướng dẫn', 'HD', false, 8, '2020-03-05'),
('CTR', 'Chương trình', 'CTr', false, 9, '2020-03-05'),
('KH', 'Kế hoạch', 'KH', false, 10, '2020-03-05'),
('PA', 'Phương án', 'PA', false, 11, '2020-03-05'),
('DEA', 'Đề án', 'ĐA', false, 12, '2020-03-05'),
('DA', 'Dự án', 'DA', false, 13, '2020-03-05'),
('BC', 'Báo cáo', 'BC', false, 14, '2020-03-05'),
('BB', 'Biên bản', 'BB', false, 15, '2020-03-05'),
('TTR', 'Tờ trình', 'TTr', false, 16, '2020-03-05'),
('HDG', 'Hợp đồng', 'HĐ', false, 17, '2020-03-05'),
('CD', 'Công điện', 'CĐ', false, 18, '2020-03-05'),
('BGN', 'Bản ghi nhớ', 'BGN', false, 19, '2020-03-05'),
('BTT', 'Bản thỏa thuận', 'BTT', false, 20, '2020-03-05'),
('GUQ', 'Giấy ủy quyền', 'GUQ', false, 21, '2020-03-05'),
('GM', 'Giấy mời', 'GM', false, 22, '2020-03-05'),
('GGT', 'Giấy giới thiệu', 'GGT', false, 23, '2020-03-05'),
('GNP', 'Giấy nghỉ phép', 'GNP', false, 24, '2020-03-05'),
('PG', 'Phiếu gửi', 'PG', false, 25, '2020-03-05'),
('PC', 'Phiếu chuyển', 'PC', false, 26, '2020-03-05'),
('PB', 'Phiếu báo', 'PB', false, 27, '2020-03-05'),
('CV', 'Công văn', NULL, false, 28, '2020-03-05'),
('THC', 'Thư công', NULL, false, 29, '2020-03-05');
