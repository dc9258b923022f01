CREATE TABLE "contrapartes_chave" (
	"ambiente" "ambiente" PRIMARY KEY,
	"privada_pem" text NOT NULL,
	"criada_em" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contrapartes_pedidos" (
	"id" bigserial PRIMARY KEY,
	"orgao_id" integer NOT NULL,
	"contraparte_orgao_id" integer NOT NULL,
	"justificativa" text NOT NULL,
	"pedido_por" text NOT NULL,
	"pedido_em" timestamp with time zone NOT NULL,
	"atendido_em" timestamp with time zone,
	"tramite_id" bigint
);
--> statement-breakpoint
CREATE TABLE "contrapartes_teste" (
	"orgao_id" integer PRIMARY KEY,
	"numero" smallint NOT NULL UNIQUE,
	"unidade_id" integer NOT NULL,
	"criada_em" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "contrapartes_pedidos_pendentes_idx" ON "contrapartes_pedidos" ("orgao_id","contraparte_orgao_id") WHERE atendido_em is null;--> statement-breakpoint
ALTER TABLE "contrapartes_pedidos" ADD CONSTRAINT "contrapartes_pedidos_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "contrapartes_pedidos" ADD CONSTRAINT "contrapartes_pedidos_contraparte_orgao_id_estruturas_id_fkey" FOREIGN KEY ("contraparte_orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "contrapartes_pedidos" ADD CONSTRAINT "contrapartes_pedidos_tramite_id_tramites_id_fkey" FOREIGN KEY ("tramite_id") REFERENCES "tramites"("id");--> statement-breakpoint
ALTER TABLE "contrapartes_teste" ADD CONSTRAINT "contrapartes_teste_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "contrapartes_teste" ADD CONSTRAINT "contrapartes_teste_unidade_id_estruturas_id_fkey" FOREIGN KEY ("unidade_id") REFERENCES "estruturas"("id");