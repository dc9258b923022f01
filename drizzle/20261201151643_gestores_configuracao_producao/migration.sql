CREATE TABLE "gestores_protocolo" (
	"orgao_id" integer,
	"ambiente" "ambiente",
	"cpf" char(11),
	"nome" text NOT NULL,
	"email" text NOT NULL,
	"registrado_por" text NOT NULL,
	"registrado_em" timestamp with time zone NOT NULL,
	CONSTRAINT "gestores_protocolo_pkey" PRIMARY KEY("orgao_id","ambiente","cpf")
);
--> statement-breakpoint
ALTER TABLE "onboarding_eventos" ADD COLUMN "gestor_cpf" char(11);--> statement-breakpoint
ALTER TABLE "onboardings" ADD COLUMN "producao_confirmada_em" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "onboardings" ADD COLUMN "producao_confirmada_por" text;--> statement-breakpoint
ALTER TABLE "gestores_protocolo" ADD CONSTRAINT "gestores_protocolo_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "onboarding_eventos" DROP CONSTRAINT "onboarding_eventos_tipo_ck", ADD CONSTRAINT "onboarding_eventos_tipo_ck" CHECK ("tipo" in ('ETAPA', 'REQUISITO', 'TESTES_INICIADOS', 'GESTOR_REGISTRADO', 'GESTOR_REMOVIDO', 'CONFIGURACAO_CONFIRMADA'));--> statement-breakpoint
-- Data: the first gestor of each approved access request joins homologação's gestores (and produção's, for an agency
-- already there: its configuration was replicated before this table existed).
INSERT INTO "gestores_protocolo" ("orgao_id", "ambiente", "cpf", "nome", "email", "registrado_por", "registrado_em")
SELECT s."orgao_id", a."ambiente", s."gestor_cpf", s."gestor_nome", s."gestor_email", s."solicitado_por", coalesce(s."analisado_em", s."solicitado_em")
FROM "solicitacoes_acesso" s
JOIN "onboardings" o ON o."orgao_id" = s."orgao_id"
CROSS JOIN (VALUES ('HOMOLOGACAO'::"ambiente"), ('PRODUCAO'::"ambiente")) a("ambiente")
WHERE s."situacao" = 'APROVADA'
  AND (a."ambiente" = 'HOMOLOGACAO' OR o."etapa" IN ('ACESSO_PRODUCAO', 'VALIDACAO_PRODUCAO', 'EM_PRODUCAO'))
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Data: onboardings already past production access predate the confirmation gate; their configuration stands confirmed.
UPDATE "onboardings" SET "producao_confirmada_em" = "atualizado_em", "producao_confirmada_por" = 'migração'
WHERE "etapa" IN ('VALIDACAO_PRODUCAO', 'EM_PRODUCAO');
