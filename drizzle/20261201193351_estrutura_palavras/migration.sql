-- Structure search by words (orgaos/consultas.ts): every distinct word of a unit's folded sigla and name, kept by
-- statement-level triggers on estruturas in the statement that writes the unit, then backfilled for the units there are.
CREATE TABLE "estrutura_palavras" (
	"estrutura_id" integer,
	"palavra" text,
	"sigla" text NOT NULL,
	"texto" text NOT NULL,
	CONSTRAINT "estrutura_palavras_pkey" PRIMARY KEY("estrutura_id","palavra")
);
--> statement-breakpoint
DROP INDEX "estruturas_busca_trgm_idx";--> statement-breakpoint
ALTER TABLE "estruturas" DROP COLUMN "texto_busca";--> statement-breakpoint
CREATE INDEX "estrutura_palavras_prefixo_idx" ON "estrutura_palavras" (("palavra" collate "C"),("sigla" collate "C"),"estrutura_id","texto");--> statement-breakpoint
ALTER TABLE "estrutura_palavras" ADD CONSTRAINT "estrutura_palavras_estrutura_id_estruturas_id_fkey" FOREIGN KEY ("estrutura_id") REFERENCES "estruturas"("id") ON DELETE CASCADE;--> statement-breakpoint
CREATE OR REPLACE FUNCTION tramita_texto_palavras(texto text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ select ' ' || trim(regexp_replace(tramita_texto_busca(texto), '[^[:alnum:]]+', ' ', 'g')) || ' ' $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION tramita_palavras(texto text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ select distinct w from regexp_split_to_table(trim(tramita_texto_palavras(texto)), ' ') w where w <> '' $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION tramita_estruturas_palavras_inseridas() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO estrutura_palavras (estrutura_id, palavra, sigla, texto)
    SELECT n.id, w, tramita_texto_busca(n.sigla), tramita_texto_palavras(n.sigla || ' ' || n.nome)
      FROM novas n, tramita_palavras(n.sigla || ' ' || n.nome) w;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION tramita_estruturas_palavras_alteradas() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  -- Only the units whose sigla or name changed (an update of the flags leaves the words alone).
  DELETE FROM estrutura_palavras p USING antigas a JOIN novas n ON n.id = a.id
   WHERE p.estrutura_id = a.id AND (a.sigla, a.nome) IS DISTINCT FROM (n.sigla, n.nome);
  INSERT INTO estrutura_palavras (estrutura_id, palavra, sigla, texto)
    SELECT n.id, w, tramita_texto_busca(n.sigla), tramita_texto_palavras(n.sigla || ' ' || n.nome)
      FROM antigas a JOIN novas n ON n.id = a.id, tramita_palavras(n.sigla || ' ' || n.nome) w
     WHERE (a.sigla, a.nome) IS DISTINCT FROM (n.sigla, n.nome);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER estruturas_palavras_inseridas AFTER INSERT ON estruturas
  REFERENCING NEW TABLE AS novas FOR EACH STATEMENT EXECUTE FUNCTION tramita_estruturas_palavras_inseridas();--> statement-breakpoint
CREATE TRIGGER estruturas_palavras_alteradas AFTER UPDATE ON estruturas
  REFERENCING OLD TABLE AS antigas NEW TABLE AS novas FOR EACH STATEMENT EXECUTE FUNCTION tramita_estruturas_palavras_alteradas();--> statement-breakpoint
INSERT INTO estrutura_palavras (estrutura_id, palavra, sigla, texto)
  SELECT e.id, w, tramita_texto_busca(e.sigla), tramita_texto_palavras(e.sigla || ' ' || e.nome)
    FROM estruturas e, tramita_palavras(e.sigla || ' ' || e.nome) w;
