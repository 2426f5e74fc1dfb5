-- The history of a dossier is append-only: actions can be inserted, never changed or removed.
CREATE OR REPLACE FUNCTION dossier_actions_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dossier_actions is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER dossier_actions_no_update BEFORE UPDATE OR DELETE ON dossier_actions
  FOR EACH ROW EXECUTE FUNCTION dossier_actions_reject_change();
--> statement-breakpoint
CREATE TRIGGER dossier_actions_no_truncate BEFORE TRUNCATE ON dossier_actions
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_actions_reject_change();
