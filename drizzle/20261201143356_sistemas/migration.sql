CREATE TABLE "sistema_orgaos" (
	"sistema_id" integer,
	"orgao_id" integer,
	CONSTRAINT "sistema_orgaos_pkey" PRIMARY KEY("sistema_id","orgao_id")
);
--> statement-breakpoint
CREATE TABLE "sistemas" (
	"id" serial PRIMARY KEY,
	"codigo" text NOT NULL UNIQUE,
	"nome" text NOT NULL,
	"sistema" text NOT NULL,
	"versao" text,
	"gestor_tecnologico" text NOT NULL,
	"criado_em" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sistema_orgaos_orgao_idx" ON "sistema_orgaos" ("orgao_id");--> statement-breakpoint
ALTER TABLE "sistema_orgaos" ADD CONSTRAINT "sistema_orgaos_sistema_id_sistemas_id_fkey" FOREIGN KEY ("sistema_id") REFERENCES "sistemas"("id");--> statement-breakpoint
ALTER TABLE "sistema_orgaos" ADD CONSTRAINT "sistema_orgaos_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");