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
CREATE UNIQUE INDEX "tramite_alertas_uq" ON "tramite_alertas" ("tramite_id","situacao_alterada_em","limiar_minutos");--> statement-breakpoint
CREATE INDEX "tramite_alertas_limiar_idx" ON "tramite_alertas" ("limiar_minutos","situacao_alterada_em");--> statement-breakpoint
ALTER TABLE "tramite_alertas" ADD CONSTRAINT "tramite_alertas_tramite_id_tramites_id_fkey" FOREIGN KEY ("tramite_id") REFERENCES "tramites"("id");--> statement-breakpoint
ALTER TABLE "tramite_alertas" ADD CONSTRAINT "tramite_alertas_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");