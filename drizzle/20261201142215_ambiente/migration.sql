CREATE SEQUENCE "public"."tramite_idt_homologacao_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 900000000000 CACHE 1;--> statement-breakpoint
-- Rows from before environments belong to the deployment's default (AMBIENTE_PADRAO, set by the migrator; PRODUCAO otherwise).
ALTER TABLE "tramites" ADD COLUMN "ambiente" "ambiente" NOT NULL DEFAULT coalesce(nullif(current_setting('tramita.ambiente_padrao', true), ''), 'PRODUCAO')::"ambiente";--> statement-breakpoint
ALTER TABLE "tramites" ALTER COLUMN "ambiente" DROP DEFAULT;--> statement-breakpoint
DROP INDEX "tramites_numero_processo_idx";--> statement-breakpoint
CREATE INDEX "tramites_numero_processo_idx" ON "tramites" ("numero_processo","ambiente","criado_em");
