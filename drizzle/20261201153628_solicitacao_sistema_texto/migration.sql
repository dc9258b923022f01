-- Data: requests made before the SPE entity keep what they named, readable as the described SPE (its name and its
-- Gestor Tecnológico); no system is created for them.
UPDATE "solicitacoes_acesso" SET "sistema_novo" = jsonb_build_object('nome', "sistema_governo", 'gestorTecnologico', "gestor_tecnologico")
WHERE "sistema_id" IS NULL AND "sistema_novo" IS NULL;--> statement-breakpoint
ALTER TABLE "solicitacoes_acesso" DROP COLUMN "sistema_governo";--> statement-breakpoint
ALTER TABLE "solicitacoes_acesso" DROP COLUMN "gestor_tecnologico";