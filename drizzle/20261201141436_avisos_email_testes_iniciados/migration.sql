CREATE TABLE "avisos_email" (
	"id" bigserial PRIMARY KEY,
	"orgao_id" integer NOT NULL,
	"tipo" text NOT NULL,
	"para" text NOT NULL,
	"assunto" text NOT NULL,
	"corpo" text NOT NULL,
	"message_id" text NOT NULL UNIQUE,
	"criado_em" timestamp with time zone NOT NULL,
	"tentativas" integer DEFAULT 0 NOT NULL,
	"proxima_tentativa_em" timestamp with time zone NOT NULL,
	"ultimo_erro" text,
	"enviado_em" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "onboardings" ADD COLUMN "testes_iniciados_em" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "avisos_email_pendentes_idx" ON "avisos_email" ("proxima_tentativa_em") WHERE enviado_em is null;--> statement-breakpoint
CREATE INDEX "avisos_email_orgao_idx" ON "avisos_email" ("orgao_id","id");--> statement-breakpoint
ALTER TABLE "avisos_email" ADD CONSTRAINT "avisos_email_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "onboarding_eventos" DROP CONSTRAINT "onboarding_eventos_tipo_ck", ADD CONSTRAINT "onboarding_eventos_tipo_ck" CHECK ("tipo" in ('ETAPA', 'REQUISITO', 'TESTES_INICIADOS'));