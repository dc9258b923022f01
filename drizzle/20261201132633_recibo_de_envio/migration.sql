CREATE TABLE "recibos_de_envio" (
	"tramite_id" bigint PRIMARY KEY,
	"jws" text NOT NULL,
	"emitido_em" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recibos_de_envio" ADD CONSTRAINT "recibos_de_envio_tramite_id_tramites_id_fkey" FOREIGN KEY ("tramite_id") REFERENCES "tramites"("id");