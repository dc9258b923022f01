CREATE TYPE "tipo_evento_tramite" AS ENUM('SITUACAO', 'COMPONENTE_RECEBIDO', 'RECIBO_EMITIDO');--> statement-breakpoint
CREATE TYPE "tipo_recibo" AS ENUM('ENVIO', 'CONCLUSAO');--> statement-breakpoint
ALTER TABLE "tramite_eventos" ADD COLUMN "tipo" "tipo_evento_tramite" DEFAULT 'SITUACAO'::"tipo_evento_tramite" NOT NULL;--> statement-breakpoint
ALTER TABLE "tramite_eventos" ADD COLUMN "componente_id" bigint;--> statement-breakpoint
ALTER TABLE "tramite_eventos" ADD COLUMN "recibo" "tipo_recibo";--> statement-breakpoint
ALTER TABLE "tramite_eventos" ADD CONSTRAINT "tramite_eventos_componente_id_tramite_componentes_id_fkey" FOREIGN KEY ("componente_id") REFERENCES "tramite_componentes"("id");--> statement-breakpoint
ALTER TABLE "tramite_eventos" ADD CONSTRAINT "tramite_eventos_componente_ck" CHECK (("tipo" = 'COMPONENTE_RECEBIDO') = ("componente_id" is not null));--> statement-breakpoint
ALTER TABLE "tramite_eventos" ADD CONSTRAINT "tramite_eventos_recibo_ck" CHECK (("tipo" = 'RECIBO_EMITIDO') = ("recibo" is not null));--> statement-breakpoint
ALTER TABLE "tramite_eventos" ADD CONSTRAINT "tramite_eventos_sem_mudanca_ck" CHECK ("tipo" = 'SITUACAO' or "de_situacao" = "para_situacao");