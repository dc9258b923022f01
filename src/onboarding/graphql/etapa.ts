/** The stage vocabulary of onboarding as GraphQL enums: stages and steps (the environment enum is src/schema/ambiente.ts) (regras.ts). */
import { builder } from '../../schema/builder.js';
import { ETAPAS, PASSOS_ONBOARDING, type AcaoOnboarding as CodigoAcao, type Etapa } from '../regras.js';

const DESCRICAO_ETAPA: Record<Etapa, string> = {
  ANALISE_CADASTRO: 'Solicitação de acesso enviada; a equipe do PEN analisa o cadastro (homologação).',
  CADASTRO_REJEITADO: 'Cadastro rejeitado pelo PEN, com motivo; o órgão pode corrigir e solicitar de novo.',
  CONFIGURACAO_ESTRUTURA: 'Cadastro aprovado: certificado, unidades, gestores e unidades de envio/recebimento (homologação).',
  IMPLANTACAO_HOMOLOGACAO: 'Implantação do módulo de conexão e requisitos mínimos em homologação.',
  VALIDACAO_HOMOLOGACAO: 'A equipe técnica do PEN valida os requisitos de homologação.',
  ACESSO_PRODUCAO:
    'Acesso à produção: configuração replicada e TODOS os requisitos de novo, com testes com a unidade de testes (DISIS/MGI).',
  VALIDACAO_PRODUCAO: 'A equipe do PEN acompanha e valida os testes em produção.',
  EM_PRODUCAO: 'Implantado: em produção, com data de implantação registrada.',
};

export const EtapaOnboarding = builder.enumType('EtapaOnboarding', {
  description: 'Etapas do caminho de um órgão até a produção.',
  values: Object.fromEntries(ETAPAS.map((e) => [e, { description: DESCRICAO_ETAPA[e] }])) as Record<Etapa, { description: string }>,
});

/**
 * Each step's mutation; null for the access request, which exists only with its content (the data and the supporting
 * PDF, one multipart body: POST /onboarding/solicitacoes, src/http/solicitacoes.ts), never as a content-less mutation.
 */
export const NOME_ACAO: { [A in CodigoAcao]: { mutacao: A extends 'SOLICITAR_ACESSO' ? null : string; descricao: string } } = {
  SOLICITAR_ACESSO: {
    mutacao: null,
    descricao:
      'O gestor de protocolo solicita o acesso do órgão (ou solicita de novo após rejeição), com os dados e o documento comprobatório (PDF): POST /onboarding/solicitacoes (multipart), não uma mutação.',
  },
  APROVAR_CADASTRO: { mutacao: 'aprovarCadastro', descricao: 'PEN aprova o cadastro: o órgão configura sua estrutura.' },
  REJEITAR_CADASTRO: { mutacao: 'rejeitarCadastro', descricao: 'PEN rejeita o cadastro, com motivo.' },
  CONCLUIR_CONFIGURACAO: {
    mutacao: 'concluirConfiguracaoEstrutura',
    descricao: 'O gestor conclui a configuração (exige unidades habilitadas para envio e para recebimento).',
  },
  SOLICITAR_VALIDACAO_HOMOLOGACAO: {
    mutacao: 'solicitarValidacaoHomologacao',
    descricao: 'O gestor pede a validação da homologação (exige todos os requisitos de homologação).',
  },
  VALIDAR_HOMOLOGACAO: { mutacao: 'validarHomologacao', descricao: 'PEN valida a homologação: o órgão ganha acesso à produção.' },
  REPROVAR_HOMOLOGACAO: {
    mutacao: 'reprovarHomologacao',
    descricao: 'PEN reprova a validação da homologação, com motivo: volta à implantação.',
  },
  SOLICITAR_VALIDACAO_PRODUCAO: {
    mutacao: 'solicitarValidacaoProducao',
    descricao: 'O gestor pede a validação em produção (exige todos os requisitos de produção).',
  },
  VALIDAR_PRODUCAO: { mutacao: 'validarProducao', descricao: 'PEN valida em produção: o órgão está implantado.' },
  REPROVAR_PRODUCAO: { mutacao: 'reprovarProducao', descricao: 'PEN reprova a validação em produção, com motivo.' },
};

export const AcaoOnboarding = builder.enumType('AcaoOnboarding', {
  description: 'Os passos do onboarding.',
  values: Object.fromEntries(PASSOS_ONBOARDING.map((p) => [p.acao, { description: NOME_ACAO[p.acao].descricao }])) as Record<
    CodigoAcao,
    { description: string }
  >,
});
