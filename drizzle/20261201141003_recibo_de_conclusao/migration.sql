CREATE TABLE "recibos_de_conclusao" (
	"tramite_id" bigint PRIMARY KEY,
	"data_de_recebimento" timestamp with time zone NOT NULL,
	"texto_assinado" text NOT NULL,
	"hash_da_assinatura" text NOT NULL,
	"chave_publica_pem" text NOT NULL,
	"chave_id" text NOT NULL,
	"recebido_em" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chaves_publicas_spe" (
	"orgao_id" integer,
	"ambiente" "ambiente",
	"pem" text NOT NULL,
	"chave_id" text NOT NULL,
	"bits" integer NOT NULL,
	"registrada_em" timestamp with time zone NOT NULL,
	"registrada_por" text NOT NULL,
	CONSTRAINT "chaves_publicas_spe_pkey" PRIMARY KEY("orgao_id","ambiente")
);
--> statement-breakpoint
ALTER TABLE "recibos_de_conclusao" ADD CONSTRAINT "recibos_de_conclusao_tramite_id_tramites_id_fkey" FOREIGN KEY ("tramite_id") REFERENCES "tramites"("id");--> statement-breakpoint
ALTER TABLE "chaves_publicas_spe" ADD CONSTRAINT "chaves_publicas_spe_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");