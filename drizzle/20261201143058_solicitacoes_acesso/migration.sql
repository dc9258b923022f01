CREATE TYPE "situacao_solicitacao" AS ENUM('EM_ANALISE', 'APROVADA', 'REJEITADA');--> statement-breakpoint
CREATE TABLE "solicitacoes_acesso" (
	"id" bigserial PRIMARY KEY,
	"orgao_id" integer NOT NULL,
	"situacao" "situacao_solicitacao" NOT NULL,
	"uf" text,
	"cnpj" char(14),
	"endereco" text,
	"cep" char(8),
	"sistema_governo" text NOT NULL,
	"gestor_tecnologico" text NOT NULL,
	"gestor_nome" text NOT NULL,
	"gestor_cpf" char(11) NOT NULL,
	"gestor_email" text NOT NULL,
	"documento_conteudo_id" bigint NOT NULL,
	"documento_nome" text NOT NULL,
	"solicitado_por" text NOT NULL,
	"solicitado_em" timestamp with time zone NOT NULL,
	"motivos_recusa" text[],
	"analisado_por" text,
	"analisado_em" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "solicitacoes_acesso_orgao_idx" ON "solicitacoes_acesso" ("orgao_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "solicitacoes_acesso_aberta_uq" ON "solicitacoes_acesso" ("orgao_id") WHERE situacao = 'EM_ANALISE';--> statement-breakpoint
CREATE UNIQUE INDEX "solicitacoes_acesso_cnpj_uq" ON "solicitacoes_acesso" ("cnpj") WHERE cnpj is not null and situacao <> 'REJEITADA';--> statement-breakpoint
ALTER TABLE "solicitacoes_acesso" ADD CONSTRAINT "solicitacoes_acesso_orgao_id_estruturas_id_fkey" FOREIGN KEY ("orgao_id") REFERENCES "estruturas"("id");--> statement-breakpoint
ALTER TABLE "solicitacoes_acesso" ADD CONSTRAINT "solicitacoes_acesso_documento_conteudo_id_conteudos_id_fkey" FOREIGN KEY ("documento_conteudo_id") REFERENCES "conteudos"("id");