ALTER TABLE "solicitacoes_acesso" ADD COLUMN "sistema_id" integer;--> statement-breakpoint
ALTER TABLE "solicitacoes_acesso" ADD COLUMN "sistema_novo" jsonb;--> statement-breakpoint
ALTER TABLE "solicitacoes_acesso" ADD CONSTRAINT "solicitacoes_acesso_sistema_id_sistemas_id_fkey" FOREIGN KEY ("sistema_id") REFERENCES "sistemas"("id");