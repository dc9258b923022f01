CREATE TYPE "tipo_tramitavel" AS ENUM('PROCESSO', 'DOCUMENTO_AVULSO');--> statement-breakpoint
CREATE TABLE "estruturas" (
	"id" serial PRIMARY KEY,
	"repositorio_id" integer NOT NULL,
	"numero_identificacao" integer NOT NULL,
	"sigla" text NOT NULL,
	"nome" text NOT NULL,
	"pai_id" integer,
	"orgao_id" integer,
	"habilitada_envio" boolean DEFAULT false NOT NULL,
	"habilitada_recebimento" boolean DEFAULT false NOT NULL,
	"centralizadora" boolean DEFAULT false NOT NULL,
	"criada_em" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "repositorios" (
	"id" integer PRIMARY KEY,
	"nome" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tramite_eventos" (
	"seq" bigserial PRIMARY KEY,
	"tramite_id" bigint NOT NULL,
	"de_situacao" smallint,
	"para_situacao" smallint NOT NULL,
	"ator_sujeito" text NOT NULL,
	"ator_orgao_id" integer,
	"ator_papel" text NOT NULL,
	"ator_pen_admin" boolean DEFAULT false NOT NULL,
	"motivo" text,
	"justificativa" text,
	"ocorrido_em" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tramites" (
	"id" bigserial PRIMARY KEY,
	"idt" bigint NOT NULL UNIQUE,
	"nre" char(16) NOT NULL,
	"numero_processo" text NOT NULL,
	"tipo" "tipo_tramitavel" NOT NULL,
	"descricao" text,
	"remetente_unidade_id" integer NOT NULL,
	"remetente_orgao_id" integer NOT NULL,
	"destinatario_unidade_id" integer NOT NULL,
	"destinatario_orgao_id" integer NOT NULL,
	"situacao" smallint NOT NULL,
	"versao" integer DEFAULT 1 NOT NULL,
	"criado_em" timestamp with time zone NOT NULL,
	"atualizado_em" timestamp with time zone NOT NULL,
	"situacao_alterada_em" timestamp with time zone NOT NULL,
	CONSTRAINT "tramites_situacao_ck" CHECK ("situacao" between 1 and 10),
	CONSTRAINT "tramites_nre_ck" CHECK ("nre" ~ '^[0-9]{16}$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "estruturas_repositorio_numero_uq" ON "estruturas" ("repositorio_id","numero_identificacao");--> statement-breakpoint
CREATE INDEX "estruturas_pai_idx" ON "estruturas" ("pai_id");--> statement-breakpoint
CREATE INDEX "estruturas_orgao_idx" ON "estruturas" ("orgao_id");--> statement-breakpoint
CREATE INDEX "tramite_eventos_tramite_idx" ON "tramite_eventos" ("tramite_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "tramites_um_em_andamento_por_nre_uq" ON "tramites" ("nre") WHERE situacao not in (6, 7, 9, 10);--> statement-breakpoint
CREATE INDEX "tramites_nre_idx" ON "tramites" ("nre");--> statement-breakpoint
CREATE INDEX "tramites_remetente_orgao_idx" ON "tramites" ("remetente_orgao_id","situacao");--> statement-breakpoint
CREATE INDEX "tramites_destinatario_orgao_idx" ON "tramites" ("destinatario_orgao_id","situacao");--> statement-breakpoint
CREATE INDEX "tramites_remetente_unidade_idx" ON "tramites" ("remetente_unidade_id");--> statement-breakpoint
CREATE INDEX "tramites_destinatario_unidade_idx" ON "tramites" ("destinatario_unidade_id");--> statement-breakpoint
CREATE INDEX "tramites_situacao_alterada_idx" ON "tramites" ("situacao","situacao_alterada_em");--> statement-breakpoint
CREATE INDEX "tramites_criado_em_idx" ON "tramites" ("criado_em");--> statement-breakpoint
ALTER TABLE "estruturas" ADD CONSTRAINT "estruturas_repositorio_id_repositorios_id_fkey" FOREIGN KEY ("repositorio_id") REFERENCES "repositorios"("id");--> statement-breakpoint
ALTER TABLE "estruturas" ADD CONSTRAINT "estruturas_pai_id_estruturas_id_fkey" FOREIGN KEY ("pai_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "estruturas" ADD CONSTRAINT "estruturas_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "tramite_eventos" ADD CONSTRAINT "tramite_eventos_tramite_id_tramites_id_fkey" FOREIGN KEY ("tramite_id") REFERENCES "tramites"("id");--> statement-breakpoint
ALTER TABLE "tramite_eventos" ADD CONSTRAINT "tramite_eventos_ator_orgao_id_estruturas_id_fkey" FOREIGN KEY ("ator_orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "tramites" ADD CONSTRAINT "tramites_remetente_unidade_id_estruturas_id_fkey" FOREIGN KEY ("remetente_unidade_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "tramites" ADD CONSTRAINT "tramites_remetente_orgao_id_estruturas_id_fkey" FOREIGN KEY ("remetente_orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "tramites" ADD CONSTRAINT "tramites_destinatario_unidade_id_estruturas_id_fkey" FOREIGN KEY ("destinatario_unidade_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "tramites" ADD CONSTRAINT "tramites_destinatario_orgao_id_estruturas_id_fkey" FOREIGN KEY ("destinatario_orgao_id") REFERENCES "estruturas"("id");