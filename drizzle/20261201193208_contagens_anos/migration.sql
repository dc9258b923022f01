-- Year buckets (`escala` 'A'): a period or all time sums its whole years' rows instead of every month's
-- (contagens.ts `partesDoPeriodo`). The same sides as the migration `contagens`, one more scale.
CREATE OR REPLACE FUNCTION tramite_contagens_chaves(rem integer, dest integer, sit smallint, em timestamp with time zone)
  RETURNS TABLE (lado char(1), orgao_id integer, escala char(1), inicio date)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    select l.lado, l.orgao_id, e.escala, e.inicio
      from (values ('O'::char(1), rem, true),
                   ('D'::char(1), dest, sit not in (8, 9)),
                   ('Q'::char(1), rem, true),
                   ('Q'::char(1), dest, sit not in (8, 9) and dest <> rem)) as l(lado, orgao_id, conta)
     cross join (values ('A'::char(1), date_trunc('year', em at time zone 'UTC')::date),
                        ('M'::char(1), date_trunc('month', em at time zone 'UTC')::date),
                        ('D'::char(1), (em at time zone 'UTC')::date)) as e(escala, inicio)
     where l.conta
  $$;--> statement-breakpoint
-- Backfill: each year is the sum of its months.
INSERT INTO tramite_contagens (ambiente, escala, lado, orgao_id, inicio, situacao, quantidade)
SELECT ambiente, 'A', lado, orgao_id, date_trunc('year', inicio)::date, situacao, sum(quantidade)
  FROM tramite_contagens
 WHERE escala = 'M'
 GROUP BY ambiente, lado, orgao_id, date_trunc('year', inicio)::date, situacao;
