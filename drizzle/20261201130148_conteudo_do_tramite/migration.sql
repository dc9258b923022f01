CREATE TABLE "conteudo_blocos" (
	"conteudo_id" bigint,
	"n" integer,
	"dados" bytea NOT NULL,
	CONSTRAINT "conteudo_blocos_pkey" PRIMARY KEY("conteudo_id","n")
);
--> statement-breakpoint
CREATE TABLE "conteudos" (
	"id" bigserial PRIMARY KEY,
	"hash" text NOT NULL,
	"tamanho" bigint NOT NULL,
	"criado_em" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "especies_documentais" (
	"codigo" integer PRIMARY KEY,
	"nome" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hipoteses_legais" (
	"id" integer PRIMARY KEY,
	"nome" text NOT NULL,
	"base_legal" text NOT NULL,
	"ativa" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "motivos_urgencia" (
	"codigo" integer PRIMARY KEY,
	"descricao" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tramite_componentes" (
	"id" bigserial PRIMARY KEY,
	"tramite_id" bigint NOT NULL,
	"documento_id" bigint NOT NULL,
	"ordem" integer NOT NULL,
	"nome" text NOT NULL,
	"hash" text NOT NULL,
	"tamanho" bigint NOT NULL,
	"mime_type" text NOT NULL,
	"tipo_de_conteudo" text NOT NULL,
	"conteudo_id" bigint,
	"enviado_em" timestamp with time zone,
	CONSTRAINT "tramite_componentes_tamanho_ck" CHECK ("tamanho" >= 0)
);
--> statement-breakpoint
CREATE TABLE "tramite_documentos" (
	"id" bigserial PRIMARY KEY,
	"tramite_id" bigint NOT NULL,
	"ordem" integer NOT NULL,
	"especie_codigo" integer NOT NULL,
	"descricao" text,
	"nivel_de_sigilo" smallint NOT NULL,
	"hipotese_legal_id" integer,
	"produtor" text,
	"data_hora_de_producao" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tramite_processos" (
	"tramite_id" bigint PRIMARY KEY,
	"nivel_de_sigilo" smallint NOT NULL,
	"hipotese_legal_id" integer,
	"processo_de_negocio" text,
	"produtor" text,
	"interessados" jsonb NOT NULL,
	"data_hora_de_producao" timestamp with time zone,
	"urgente" boolean DEFAULT false NOT NULL,
	"motivo_urgencia_codigo" integer,
	CONSTRAINT "tramite_processos_sigilo_ck" CHECK ("nivel_de_sigilo" in (1, 2))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "conteudos_hash_tamanho_uq" ON "conteudos" ("hash","tamanho");--> statement-breakpoint
CREATE UNIQUE INDEX "tramite_componentes_ordem_uq" ON "tramite_componentes" ("documento_id","ordem");--> statement-breakpoint
CREATE INDEX "tramite_componentes_tramite_idx" ON "tramite_componentes" ("tramite_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tramite_documentos_ordem_uq" ON "tramite_documentos" ("tramite_id","ordem");--> statement-breakpoint
ALTER TABLE "conteudo_blocos" ADD CONSTRAINT "conteudo_blocos_conteudo_id_conteudos_id_fkey" FOREIGN KEY ("conteudo_id") REFERENCES "conteudos"("id") ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE "tramite_componentes" ADD CONSTRAINT "tramite_componentes_tramite_id_tramites_id_fkey" FOREIGN KEY ("tramite_id") REFERENCES "tramites"("id");--> statement-breakpoint
ALTER TABLE "tramite_componentes" ADD CONSTRAINT "tramite_componentes_documento_id_tramite_documentos_id_fkey" FOREIGN KEY ("documento_id") REFERENCES "tramite_documentos"("id");--> statement-breakpoint
ALTER TABLE "tramite_componentes" ADD CONSTRAINT "tramite_componentes_conteudo_id_conteudos_id_fkey" FOREIGN KEY ("conteudo_id") REFERENCES "conteudos"("id");--> statement-breakpoint
ALTER TABLE "tramite_documentos" ADD CONSTRAINT "tramite_documentos_tramite_id_tramites_id_fkey" FOREIGN KEY ("tramite_id") REFERENCES "tramites"("id");--> statement-breakpoint
ALTER TABLE "tramite_documentos" ADD CONSTRAINT "tramite_documentos_9HxbEGfpkNfy_fkey" FOREIGN KEY ("especie_codigo") REFERENCES "especies_documentais"("codigo");--> statement-breakpoint
ALTER TABLE "tramite_documentos" ADD CONSTRAINT "tramite_documentos_hipotese_legal_id_hipoteses_legais_id_fkey" FOREIGN KEY ("hipotese_legal_id") REFERENCES "hipoteses_legais"("id");--> statement-breakpoint
ALTER TABLE "tramite_processos" ADD CONSTRAINT "tramite_processos_tramite_id_tramites_id_fkey" FOREIGN KEY ("tramite_id") REFERENCES "tramites"("id");--> statement-breakpoint
ALTER TABLE "tramite_processos" ADD CONSTRAINT "tramite_processos_hipotese_legal_id_hipoteses_legais_id_fkey" FOREIGN KEY ("hipotese_legal_id") REFERENCES "hipoteses_legais"("id");--> statement-breakpoint
ALTER TABLE "tramite_processos" ADD CONSTRAINT "tramite_processos_cWn9CzoKgEWv_fkey" FOREIGN KEY ("motivo_urgencia_codigo") REFERENCES "motivos_urgencia"("codigo");--> statement-breakpoint
-- Reference lists the documents point at, as data (docs/domain.md §7.3). A subset of the platform's
-- lists: the full espécie list (1-186, 999) and the 25 hipóteses legais arrive as further data migrations.
INSERT INTO "especies_documentais" ("codigo", "nome") VALUES
  (1, 'Abaixo-assinado'), (2, 'Acórdão'), (3, 'Acordo'), (4, 'Alvará'), (9, 'Ata'), (10, 'Atestado'),
  (18, 'Carta'), (21, 'Certidão'), (22, 'Certificado'), (25, 'Contrato'), (30, 'Declaração'),
  (32, 'Despacho'), (40, 'Edital'), (54, 'Memorando'), (61, 'Nota Técnica'), (63, 'Ofício'),
  (66, 'Parecer'), (71, 'Portaria'), (79, 'Relatório'), (81, 'Requerimento'), (999, 'Outra');
--> statement-breakpoint
INSERT INTO "hipoteses_legais" ("id", "nome", "base_legal", "ativa") VALUES
  (1, 'Informação Pessoal', 'Art. 31 da Lei nº 12.527/2011', true),
  (2, 'Documento Preparatório', 'Art. 7º, § 3º, da Lei nº 12.527/2011', true),
  (3, 'Controle Interno', 'Art. 26, § 3º, da Lei nº 10.180/2001', true),
  (4, 'Sigilo Fiscal', 'Art. 198 do Código Tributário Nacional', true),
  (5, 'Sigilo Bancário', 'Art. 1º da Lei Complementar nº 105/2001', true),
  (6, 'Segredo de Justiça no Processo Civil', 'Art. 189 do Código de Processo Civil', true),
  (7, 'Sigilo do Inquérito Policial', 'Art. 20 do Código de Processo Penal', true),
  (8, 'Direito Autoral', 'Art. 24, III, da Lei nº 9.610/1998', true),
  (9, 'Investigação de Responsabilidade de Servidor', 'Art. 150 da Lei nº 8.112/1990', true),
  (10, 'Protocolo - Pendente Análise de Restrição de Acesso', 'Art. 6º, III, da Lei nº 12.527/2011', false);
--> statement-breakpoint
INSERT INTO "motivos_urgencia" ("codigo", "descricao") VALUES
  (1, 'Prazo legal ou regulamentar'), (2, 'Determinação judicial'), (3, 'Solicitação de órgão de controle'),
  (4, 'Risco à saúde ou à vida'), (5, 'Outro');
