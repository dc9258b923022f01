-- The event logs without a global lock (src/db/log.ts explains the rule readers follow).
-- 1. Every writer of a log has its transaction id before it takes a seq: a statement-level trigger
--    assigns it before the first row's default (nextval) is evaluated.
CREATE FUNCTION log_xid_antes_do_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_current_xact_id();
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tramite_eventos_xid_antes_do_seq BEFORE INSERT ON tramite_eventos FOR EACH STATEMENT EXECUTE FUNCTION log_xid_antes_do_seq();
--> statement-breakpoint
CREATE TRIGGER onboarding_eventos_xid_antes_do_seq BEFORE INSERT ON onboarding_eventos FOR EACH STATEMENT EXECUTE FUNCTION log_xid_antes_do_seq();
--> statement-breakpoint
CREATE TRIGGER estrutura_eventos_xid_antes_do_seq BEFORE INSERT ON estrutura_eventos FOR EACH STATEMENT EXECUTE FUNCTION log_xid_antes_do_seq();
--> statement-breakpoint
CREATE TRIGGER tramite_alertas_xid_antes_do_seq BEFORE INSERT ON tramite_alertas FOR EACH STATEMENT EXECUTE FUNCTION log_xid_antes_do_seq();
--> statement-breakpoint
-- 2. A reader's mark, in this order: the snapshot's xmin (every transaction id below it has finished),
--    the last seq handed out so far, then a transaction id of the mark's own (none when nothing was
--    handed out after `desde`). Once a later snapshot's xmin passes that id, every writer that holds
--    a seq up to `alocado` has committed or rolled back.
CREATE FUNCTION log_marca(sequencia regclass, desde bigint, OUT xmin xid8, OUT alocado bigint, OUT xid xid8) LANGUAGE plpgsql AS $$
BEGIN
  xmin := pg_snapshot_xmin(pg_current_snapshot());
  alocado := coalesce(pg_sequence_last_value(sequencia), 0);
  IF alocado > desde THEN
    xid := pg_current_xact_id();
  END IF;
END $$;
--> statement-breakpoint
-- 3. Each insert into a log announces its highest seq on the channel named after the table, from the
--    writer's own transaction (delivered on commit, dropped on rollback), with no statement of its own.
CREATE FUNCTION log_anunciar() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ultimo bigint;
BEGIN
  SELECT max(seq) INTO ultimo FROM novos;
  IF ultimo IS NOT NULL THEN
    PERFORM pg_notify(TG_TABLE_NAME, ultimo::text);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tramite_eventos_anunciar AFTER INSERT ON tramite_eventos REFERENCING NEW TABLE AS novos FOR EACH STATEMENT EXECUTE FUNCTION log_anunciar();
--> statement-breakpoint
CREATE TRIGGER onboarding_eventos_anunciar AFTER INSERT ON onboarding_eventos REFERENCING NEW TABLE AS novos FOR EACH STATEMENT EXECUTE FUNCTION log_anunciar();
--> statement-breakpoint
CREATE TRIGGER estrutura_eventos_anunciar AFTER INSERT ON estrutura_eventos REFERENCING NEW TABLE AS novos FOR EACH STATEMENT EXECUTE FUNCTION log_anunciar();
--> statement-breakpoint
CREATE TRIGGER tramite_alertas_anunciar AFTER INSERT ON tramite_alertas REFERENCING NEW TABLE AS novos FOR EACH STATEMENT EXECUTE FUNCTION log_anunciar();
