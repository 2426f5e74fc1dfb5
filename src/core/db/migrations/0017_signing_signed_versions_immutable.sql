-- A signed version of a document is never edited or replaced: once a signature record says a document file
-- was signed, sealed or uploaded signed, its document_files row cannot change or disappear (a new version
-- is added instead, and it does not carry the signature).
CREATE OR REPLACE FUNCTION document_files_signed_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM signature_records r
              WHERE r.file_id = OLD.file_id AND r.document_id = OLD.document_id AND r.action IN ('signed', 'sealed', 'uploaded')) THEN
    IF TG_OP = 'DELETE' OR NEW.file_id <> OLD.file_id OR NEW.role <> OLD.role OR NEW.version <> OLD.version OR NEW.document_id <> OLD.document_id THEN
      RAISE EXCEPTION 'document_files %: a signed version cannot be changed or removed (% rejected)', OLD.id, TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER document_files_signed_guard BEFORE UPDATE OR DELETE ON document_files
  FOR EACH ROW EXECUTE FUNCTION document_files_signed_guard();
--> statement-breakpoint
-- Signature records are the evidence of who signed what when: append-only like the audit log.
CREATE OR REPLACE FUNCTION signature_records_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'signature_records is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER signature_records_no_update BEFORE UPDATE OR DELETE ON signature_records
  FOR EACH ROW EXECUTE FUNCTION signature_records_reject_change();
--> statement-breakpoint
CREATE TRIGGER signature_records_no_truncate BEFORE TRUNCATE ON signature_records
  FOR EACH STATEMENT EXECUTE FUNCTION signature_records_reject_change();
