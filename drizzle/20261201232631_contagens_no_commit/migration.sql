-- Counters without a lock held across the transaction. The statement triggers on `tramites` (migration `contagens`)
-- upserted their counter rows at once, so a step held those rows' locks until COMMIT, across every client round trip
-- left in it: every step of every busy agency on one day waited for the one before to commit. Now they append the
-- same aggregated deltas to `tramite_contagens_pendentes`, and a deferred constraint trigger folds the transaction's
-- deltas into `tramite_contagens` at COMMIT, in key order (no deadlock between two folds), and deletes them: the
-- counter rows are locked only by the commit itself. Still exact and transactional: a rolled-back step (or savepoint)
-- takes its deltas and its pending fold with it. Committed, the table is always empty, hence UNLOGGED (no WAL; a crash
-- empties it, which is its committed state anyway).
CREATE UNLOGGED TABLE "tramite_contagens_pendentes" (
	"transacao" xid8 DEFAULT pg_current_xact_id() NOT NULL,
	"ambiente" "ambiente" NOT NULL,
	"escala" char(1) NOT NULL,
	"lado" char(1) NOT NULL,
	"orgao_id" integer NOT NULL,
	"inicio" date NOT NULL,
	"situacao" smallint NOT NULL,
	"quantidade" bigint NOT NULL,
	-- Set on the first row a transaction appends (none of its own pending yet): the only row whose insert queues the fold.
	"dobrar" boolean NOT NULL
);--> statement-breakpoint
CREATE INDEX "tramite_contagens_pendentes_transacao_idx" ON "tramite_contagens_pendentes" ("transacao");--> statement-breakpoint
-- The same deltas as before (same sides and buckets, same aggregation per statement), appended instead of applied.
CREATE OR REPLACE FUNCTION tramite_contagens_aplicar() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  primeira boolean := NOT EXISTS (SELECT 1 FROM tramite_contagens_pendentes WHERE transacao = pg_current_xact_id());
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO tramite_contagens_pendentes (ambiente, escala, lado, orgao_id, inicio, situacao, quantidade, dobrar)
    SELECT n.ambiente, k.escala, k.lado, k.orgao_id, k.inicio, n.situacao, count(*), primeira AND row_number() OVER () = 1
      FROM novos n CROSS JOIN LATERAL tramite_contagens_chaves(n.remetente_orgao_id, n.destinatario_orgao_id, n.situacao, n.criado_em) k
     GROUP BY 1, 2, 3, 4, 5, 6;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO tramite_contagens_pendentes (ambiente, escala, lado, orgao_id, inicio, situacao, quantidade, dobrar)
    SELECT o.ambiente, k.escala, k.lado, k.orgao_id, k.inicio, o.situacao, -count(*), primeira AND row_number() OVER () = 1
      FROM antigos o CROSS JOIN LATERAL tramite_contagens_chaves(o.remetente_orgao_id, o.destinatario_orgao_id, o.situacao, o.criado_em) k
     GROUP BY 1, 2, 3, 4, 5, 6;
  ELSE
    -- Only rows whose counted columns changed: an update of other columns appends nothing.
    INSERT INTO tramite_contagens_pendentes (ambiente, escala, lado, orgao_id, inicio, situacao, quantidade, dobrar)
    SELECT m.ambiente, k.escala, k.lado, k.orgao_id, k.inicio, m.situacao, sum(m.sinal), primeira AND row_number() OVER () = 1
      FROM (SELECT o.ambiente, o.remetente_orgao_id, o.destinatario_orgao_id, o.situacao, o.criado_em, -1 AS sinal
              FROM antigos o JOIN novos n ON n.id = o.id
             WHERE (o.ambiente, o.remetente_orgao_id, o.destinatario_orgao_id, o.situacao, o.criado_em)
                   IS DISTINCT FROM (n.ambiente, n.remetente_orgao_id, n.destinatario_orgao_id, n.situacao, n.criado_em)
            UNION ALL
            SELECT n.ambiente, n.remetente_orgao_id, n.destinatario_orgao_id, n.situacao, n.criado_em, 1 AS sinal
              FROM antigos o JOIN novos n ON n.id = o.id
             WHERE (o.ambiente, o.remetente_orgao_id, o.destinatario_orgao_id, o.situacao, o.criado_em)
                   IS DISTINCT FROM (n.ambiente, n.remetente_orgao_id, n.destinatario_orgao_id, n.situacao, n.criado_em)) m
     CROSS JOIN LATERAL tramite_contagens_chaves(m.remetente_orgao_id, m.destinatario_orgao_id, m.situacao, m.criado_em) k
     GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(m.sinal) <> 0;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- At COMMIT (the flagged row's deferred event): every delta of this transaction, summed per key, applied in key order.
-- Other transactions' pending rows are invisible here, and the xid keeps the delete on this one's by the index.
CREATE OR REPLACE FUNCTION tramite_contagens_dobrar() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH feitos AS (
    DELETE FROM tramite_contagens_pendentes WHERE transacao = pg_current_xact_id()
    RETURNING ambiente, escala, lado, orgao_id, inicio, situacao, quantidade
  )
  INSERT INTO tramite_contagens AS c (ambiente, escala, lado, orgao_id, inicio, situacao, quantidade)
  SELECT ambiente, escala, lado, orgao_id, inicio, situacao, sum(quantidade)::bigint
    FROM feitos
   GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(quantidade) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (ambiente, escala, lado, orgao_id, inicio, situacao) DO UPDATE SET quantidade = c.quantidade + excluded.quantidade;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER tramite_contagens_dobra AFTER INSERT ON tramite_contagens_pendentes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.dobrar) EXECUTE FUNCTION tramite_contagens_dobrar();--> statement-breakpoint
-- TRUNCATE of `tramites` (it waits for every other writer of `tramites` to commit): zero the counters and drop this
-- transaction's pending deltas, of rows the TRUNCATE removed.
CREATE OR REPLACE FUNCTION tramite_contagens_zerar() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM tramite_contagens;
  DELETE FROM tramite_contagens_pendentes WHERE transacao = pg_current_xact_id();
  RETURN NULL;
END
$$;
