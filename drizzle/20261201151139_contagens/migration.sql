CREATE TABLE "tramite_contagens" (
	"ambiente" "ambiente",
	"escala" char(1),
	"lado" char(1),
	"orgao_id" integer,
	"inicio" date,
	"situacao" smallint,
	"quantidade" bigint NOT NULL,
	CONSTRAINT "tramite_contagens_pkey" PRIMARY KEY("ambiente","escala","lado","orgao_id","inicio","situacao")
);
--> statement-breakpoint
-- The sides and buckets one trâmite counts in: the rule of filtro.ts and acesso.ts in PostgreSQL (as destination the
-- refused 8 and 9 count nowhere; `Q` is what the agency itself sees, each trâmite once). test/contagens.test.ts checks
-- every counter against a full count through `filtroTramitesSql` after random sequences of steps.
CREATE OR REPLACE FUNCTION tramite_contagens_chaves(rem integer, dest integer, sit smallint, em timestamp with time zone)
  RETURNS TABLE (lado char(1), orgao_id integer, escala char(1), inicio date)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    select l.lado, l.orgao_id, e.escala, e.inicio
      from (values ('O'::char(1), rem, true),
                   ('D'::char(1), dest, sit not in (8, 9)),
                   ('Q'::char(1), rem, true),
                   ('Q'::char(1), dest, sit not in (8, 9) and dest <> rem)) as l(lado, orgao_id, conta)
     cross join (values ('M'::char(1), date_trunc('month', em at time zone 'UTC')::date),
                        ('D'::char(1), (em at time zone 'UTC')::date)) as e(escala, inicio)
     where l.conta
  $$;--> statement-breakpoint
-- One aggregated upsert per statement, in key order: concurrent writers lock counter rows in the same order (no
-- deadlock between two statements), and a bulk insert or the automatic cancellation's batch costs one statement.
CREATE OR REPLACE FUNCTION tramite_contagens_aplicar() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO tramite_contagens AS c (ambiente, escala, lado, orgao_id, inicio, situacao, quantidade)
    SELECT n.ambiente, k.escala, k.lado, k.orgao_id, k.inicio, n.situacao, count(*)
      FROM novos n CROSS JOIN LATERAL tramite_contagens_chaves(n.remetente_orgao_id, n.destinatario_orgao_id, n.situacao, n.criado_em) k
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (ambiente, escala, lado, orgao_id, inicio, situacao) DO UPDATE SET quantidade = c.quantidade + excluded.quantidade;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO tramite_contagens AS c (ambiente, escala, lado, orgao_id, inicio, situacao, quantidade)
    SELECT o.ambiente, k.escala, k.lado, k.orgao_id, k.inicio, o.situacao, -count(*)
      FROM antigos o CROSS JOIN LATERAL tramite_contagens_chaves(o.remetente_orgao_id, o.destinatario_orgao_id, o.situacao, o.criado_em) k
     GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (ambiente, escala, lado, orgao_id, inicio, situacao) DO UPDATE SET quantidade = c.quantidade + excluded.quantidade;
  ELSE
    -- Only rows whose counted columns changed: an update of other columns writes no counter.
    INSERT INTO tramite_contagens AS c (ambiente, escala, lado, orgao_id, inicio, situacao, quantidade)
    SELECT m.ambiente, k.escala, k.lado, k.orgao_id, k.inicio, m.situacao, sum(m.sinal)
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
     GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(m.sinal) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (ambiente, escala, lado, orgao_id, inicio, situacao) DO UPDATE SET quantidade = c.quantidade + excluded.quantidade;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION tramite_contagens_zerar() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM tramite_contagens;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER tramite_contagens_insercao AFTER INSERT ON tramites REFERENCING NEW TABLE AS novos
  FOR EACH STATEMENT EXECUTE FUNCTION tramite_contagens_aplicar();--> statement-breakpoint
CREATE TRIGGER tramite_contagens_alteracao AFTER UPDATE ON tramites REFERENCING OLD TABLE AS antigos NEW TABLE AS novos
  FOR EACH STATEMENT EXECUTE FUNCTION tramite_contagens_aplicar();--> statement-breakpoint
CREATE TRIGGER tramite_contagens_remocao AFTER DELETE ON tramites REFERENCING OLD TABLE AS antigos
  FOR EACH STATEMENT EXECUTE FUNCTION tramite_contagens_aplicar();--> statement-breakpoint
CREATE TRIGGER tramite_contagens_esvaziamento AFTER TRUNCATE ON tramites
  FOR EACH STATEMENT EXECUTE FUNCTION tramite_contagens_zerar();--> statement-breakpoint
-- Backfill from the trâmites that exist.
INSERT INTO tramite_contagens (ambiente, escala, lado, orgao_id, inicio, situacao, quantidade)
SELECT t.ambiente, k.escala, k.lado, k.orgao_id, k.inicio, t.situacao, count(*)
  FROM tramites t CROSS JOIN LATERAL tramite_contagens_chaves(t.remetente_orgao_id, t.destinatario_orgao_id, t.situacao, t.criado_em) k
 GROUP BY 1, 2, 3, 4, 5, 6;
