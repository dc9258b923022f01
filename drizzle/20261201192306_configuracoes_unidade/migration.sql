CREATE TABLE "configuracoes_unidade" (
	"estrutura_id" integer,
	"ambiente" "ambiente",
	"habilitada_envio" boolean DEFAULT false NOT NULL,
	"habilitada_recebimento" boolean DEFAULT false NOT NULL,
	"centralizadora" boolean DEFAULT false NOT NULL,
	"centralizadora_id" integer,
	CONSTRAINT "configuracoes_unidade_pkey" PRIMARY KEY("estrutura_id","ambiente")
);
--> statement-breakpoint
ALTER TABLE "estruturas" DROP CONSTRAINT "estruturas_centralizadora_id_estruturas_id_fkey";--> statement-breakpoint
DROP INDEX "estruturas_centralizadora_idx";--> statement-breakpoint
ALTER TABLE "estrutura_eventos" ADD COLUMN "ambiente" "ambiente";--> statement-breakpoint
-- Data: each unit's configuration, from the columns both environments shared, into the environments its agency keeps
-- one in: homologação always; produção too for an agency at production access or later, or with no onboarding at all
-- (in operation before the gateway). Agencies still in homologação get homologação only. A unit with nothing
-- configured gets no row (no row: not enabled).
INSERT INTO "configuracoes_unidade" ("estrutura_id", "ambiente", "habilitada_envio", "habilitada_recebimento", "centralizadora", "centralizadora_id")
SELECT e."id", a."ambiente", e."habilitada_envio", e."habilitada_recebimento", e."centralizadora", e."centralizadora_id"
FROM "estruturas" e
LEFT JOIN "onboardings" o ON o."orgao_id" = coalesce(e."orgao_id", e."id")
CROSS JOIN (VALUES ('HOMOLOGACAO'::"ambiente"), ('PRODUCAO'::"ambiente")) a("ambiente")
WHERE (e."habilitada_envio" OR e."habilitada_recebimento" OR e."centralizadora" OR e."centralizadora_id" IS NOT NULL)
  AND (a."ambiente" = 'HOMOLOGACAO' OR o."orgao_id" IS NULL OR o."etapa" IN ('ACESSO_PRODUCAO', 'VALIDACAO_PRODUCAO', 'EM_PRODUCAO'));
--> statement-breakpoint
-- Data: the configuration changes logged so far, each in the environment it was made for: an agency with an onboarding
-- configured its units in homologação; one without, in the deployment's environment (AMBIENTE_PADRAO, set by the
-- migrator). A unit's registration stays without one: the tree is both environments'.
UPDATE "estrutura_eventos" ev SET "ambiente" = CASE
    WHEN EXISTS (SELECT 1 FROM "onboardings" o WHERE o."orgao_id" = ev."orgao_id") THEN 'HOMOLOGACAO'::"ambiente"
    ELSE coalesce(nullif(current_setting('tramita.ambiente_padrao', true), ''), 'PRODUCAO')::"ambiente"
  END
WHERE ev."tipo" <> 'UNIDADE_CADASTRADA';
--> statement-breakpoint
ALTER TABLE "estruturas" DROP COLUMN "habilitada_envio";--> statement-breakpoint
ALTER TABLE "estruturas" DROP COLUMN "habilitada_recebimento";--> statement-breakpoint
ALTER TABLE "estruturas" DROP COLUMN "centralizadora";--> statement-breakpoint
ALTER TABLE "estruturas" DROP COLUMN "centralizadora_id";--> statement-breakpoint
CREATE INDEX "configuracoes_unidade_centralizadora_idx" ON "configuracoes_unidade" ("centralizadora_id","ambiente") WHERE centralizadora_id is not null;--> statement-breakpoint
CREATE INDEX "configuracoes_unidade_envio_idx" ON "configuracoes_unidade" ("ambiente","estrutura_id") WHERE habilitada_envio;--> statement-breakpoint
CREATE INDEX "configuracoes_unidade_recebimento_idx" ON "configuracoes_unidade" ("ambiente","estrutura_id") WHERE habilitada_recebimento;--> statement-breakpoint
ALTER TABLE "configuracoes_unidade" ADD CONSTRAINT "configuracoes_unidade_estrutura_id_estruturas_id_fkey" FOREIGN KEY ("estrutura_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "configuracoes_unidade" ADD CONSTRAINT "configuracoes_unidade_centralizadora_id_estruturas_id_fkey" FOREIGN KEY ("centralizadora_id") REFERENCES "estruturas"("id");