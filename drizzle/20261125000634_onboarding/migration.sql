CREATE TYPE "ambiente" AS ENUM('HOMOLOGACAO', 'PRODUCAO');--> statement-breakpoint
CREATE TYPE "etapa_onboarding" AS ENUM('ANALISE_CADASTRO', 'CADASTRO_REJEITADO', 'CONFIGURACAO_ESTRUTURA', 'IMPLANTACAO_HOMOLOGACAO', 'VALIDACAO_HOMOLOGACAO', 'ACESSO_PRODUCAO', 'VALIDACAO_PRODUCAO', 'EM_PRODUCAO');--> statement-breakpoint
CREATE TYPE "situacao_requisito" AS ENUM('REGISTRADO', 'CONFIRMADO', 'ATENDIDO_AUTOMATICAMENTE');--> statement-breakpoint
CREATE TYPE "tipo_requisito" AS ENUM('TRAMITE_ENVIADO_COM_SUCESSO', 'TRAMITE_RECEBIDO_COM_SUCESSO', 'RECUSA_COMO_DESTINATARIO', 'CONFIGURACAO');--> statement-breakpoint
CREATE TABLE "onboarding_eventos" (
	"seq" bigserial PRIMARY KEY,
	"orgao_id" integer NOT NULL,
	"tipo" text NOT NULL,
	"de_etapa" "etapa_onboarding",
	"para_etapa" "etapa_onboarding" NOT NULL,
	"ambiente" "ambiente",
	"requisito" text,
	"situacao_requisito" text,
	"evidencia_tramite_id" bigint,
	"ator_sujeito" text NOT NULL,
	"motivo" text,
	"ocorrido_em" timestamp with time zone NOT NULL,
	CONSTRAINT "onboarding_eventos_tipo_ck" CHECK ("tipo" in ('ETAPA', 'REQUISITO'))
);
--> statement-breakpoint
CREATE TABLE "onboardings" (
	"orgao_id" integer PRIMARY KEY,
	"etapa" "etapa_onboarding" NOT NULL,
	"versao" integer DEFAULT 1 NOT NULL,
	"iniciado_em" timestamp with time zone NOT NULL,
	"atualizado_em" timestamp with time zone NOT NULL,
	"implantado_em" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "requisitos_minimos" (
	"codigo" text PRIMARY KEY,
	"ordem" smallint NOT NULL,
	"descricao" text NOT NULL,
	"tipo" "tipo_requisito" NOT NULL,
	"exigido" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "requisitos_orgao" (
	"orgao_id" integer,
	"ambiente" "ambiente",
	"codigo" text,
	"situacao" "situacao_requisito" NOT NULL,
	"evidencia_tramite_id" bigint,
	"nota" text,
	"registrado_por" text NOT NULL,
	"registrado_em" timestamp with time zone NOT NULL,
	"confirmado_por" text,
	"confirmado_em" timestamp with time zone,
	CONSTRAINT "requisitos_orgao_pkey" PRIMARY KEY("orgao_id","ambiente","codigo")
);
--> statement-breakpoint
CREATE INDEX "onboarding_eventos_orgao_idx" ON "onboarding_eventos" ("orgao_id","seq");--> statement-breakpoint
CREATE INDEX "onboardings_etapa_idx" ON "onboardings" ("etapa");--> statement-breakpoint
ALTER TABLE "onboarding_eventos" ADD CONSTRAINT "onboarding_eventos_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "onboardings" ADD CONSTRAINT "onboardings_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "requisitos_orgao" ADD CONSTRAINT "requisitos_orgao_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "requisitos_orgao" ADD CONSTRAINT "requisitos_orgao_codigo_requisitos_minimos_codigo_fkey" FOREIGN KEY ("codigo") REFERENCES "requisitos_minimos"("codigo");--> statement-breakpoint
ALTER TABLE "requisitos_orgao" ADD CONSTRAINT "requisitos_orgao_evidencia_tramite_id_tramites_id_fkey" FOREIGN KEY ("evidencia_tramite_id") REFERENCES "tramites"("id");