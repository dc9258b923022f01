CREATE SEQUENCE "public"."tramite_idt_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 10000000 CACHE 1;--> statement-breakpoint
CREATE TABLE "idempotencia" (
	"sujeito" text,
	"chave" text,
	"operacao" text NOT NULL,
	"resultado" jsonb NOT NULL,
	"criado_em" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotencia_pkey" PRIMARY KEY("sujeito","chave")
);
