-- Structure search: trigrams over the accent- and case-folded text. unaccent() is STABLE (it reads a dictionary
-- chosen by search_path), so the generated search columns (and the trigram index on them) go through an IMMUTABLE wrapper naming its dictionary.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE OR REPLACE FUNCTION tramita_texto_busca(texto text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ select lower(public.unaccent('public.unaccent'::regdictionary, texto)) $$;--> statement-breakpoint
CREATE TABLE "estrutura_eventos" (
	"seq" bigserial PRIMARY KEY,
	"estrutura_id" integer NOT NULL,
	"orgao_id" integer NOT NULL,
	"tipo" text NOT NULL,
	"alteracao" jsonb NOT NULL,
	"ator_sujeito" text NOT NULL,
	"ocorrido_em" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tramite_alertas" (
	"seq" bigserial PRIMARY KEY,
	"tramite_id" bigint NOT NULL,
	"limiar_minutos" integer NOT NULL,
	"situacao" smallint NOT NULL,
	"situacao_alterada_em" timestamp with time zone NOT NULL,
	"orgao_id" integer NOT NULL,
	"emitido_em" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "estruturas" ADD COLUMN "centralizadora_id" integer;--> statement-breakpoint
ALTER TABLE "estruturas" ADD COLUMN "ativo" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "estruturas" ADD COLUMN "texto_busca" text GENERATED ALWAYS AS (tramita_texto_busca(sigla || ' ' || nome)) STORED;--> statement-breakpoint
ALTER TABLE "estruturas" ADD COLUMN "sigla_busca" text GENERATED ALWAYS AS (tramita_texto_busca(sigla)) STORED;--> statement-breakpoint
ALTER TABLE "repositorios" ADD COLUMN "ativo" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "tramites" ADD COLUMN "unidade_receptora_id" integer;--> statement-breakpoint
CREATE INDEX "estrutura_eventos_orgao_idx" ON "estrutura_eventos" ("orgao_id","seq");--> statement-breakpoint
CREATE INDEX "estrutura_eventos_estrutura_idx" ON "estrutura_eventos" ("estrutura_id","seq");--> statement-breakpoint
CREATE INDEX "estruturas_centralizadora_idx" ON "estruturas" ("centralizadora_id") WHERE centralizadora_id is not null;--> statement-breakpoint
CREATE INDEX "estruturas_busca_trgm_idx" ON "estruturas" USING gin ("texto_busca" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "tramite_alertas_uq" ON "tramite_alertas" ("tramite_id","situacao_alterada_em","limiar_minutos");--> statement-breakpoint
CREATE INDEX "tramite_alertas_limiar_idx" ON "tramite_alertas" ("limiar_minutos","situacao_alterada_em");--> statement-breakpoint
CREATE INDEX "tramites_unidade_receptora_idx" ON "tramites" ("unidade_receptora_id") WHERE unidade_receptora_id is not null;--> statement-breakpoint
ALTER TABLE "estrutura_eventos" ADD CONSTRAINT "estrutura_eventos_estrutura_id_estruturas_id_fkey" FOREIGN KEY ("estrutura_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "estrutura_eventos" ADD CONSTRAINT "estrutura_eventos_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "estruturas" ADD CONSTRAINT "estruturas_centralizadora_id_estruturas_id_fkey" FOREIGN KEY ("centralizadora_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "tramite_alertas" ADD CONSTRAINT "tramite_alertas_tramite_id_tramites_id_fkey" FOREIGN KEY ("tramite_id") REFERENCES "tramites"("id");--> statement-breakpoint
ALTER TABLE "tramite_alertas" ADD CONSTRAINT "tramite_alertas_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "tramites" ADD CONSTRAINT "tramites_unidade_receptora_id_estruturas_id_fkey" FOREIGN KEY ("unidade_receptora_id") REFERENCES "estruturas"("id");--> statement-breakpoint
-- The production repositórios de estruturas (docs/domain.md §7.2), as data.
INSERT INTO "repositorios" ("id", "nome", "ativo") VALUES
  (1, 'Poder Executivo Federal', true),
  (2, 'AGU', true),
  (3, 'Minas Gerais (Estado)', true),
  (4, 'Poder Judiciário', true),
  (5, 'Ministério Público', true),
  (6, 'Poder Legislativo Federal', true),
  (7, 'Distrito Federal', true),
  (8, 'Tribunais de Contas', true),
  (9, 'TJMG', false),
  (10, 'Pernambuco (Estado)', true),
  (11, 'Estruturas em Transição', true),
  (12, 'Justiça do Trabalho', true),
  (13, 'São Paulo (Estado)', true),
  (14, 'Terceiro Setor', true)
ON CONFLICT ("id") DO UPDATE SET "nome" = excluded."nome", "ativo" = excluded."ativo";
