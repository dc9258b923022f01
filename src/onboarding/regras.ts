/**
 * An agency's path onto Tramita.GOV.BR (docs/domain.md, "Onboarding"), as plain data: the stages,
 * which role moves each one, and the gate each move must pass. No database, no GraphQL.
 */
import type { Ambiente } from '../kernel/ambiente.js';
import type { Viewer } from '../kernel/viewer.js';
import { actsForAgency, isPenAdmin } from '../kernel/viewer.js';

export const ETAPAS = [
  'ANALISE_CADASTRO',
  'CADASTRO_REJEITADO',
  'CONFIGURACAO_ESTRUTURA',
  'IMPLANTACAO_HOMOLOGACAO',
  'VALIDACAO_HOMOLOGACAO',
  'ACESSO_PRODUCAO',
  'VALIDACAO_PRODUCAO',
  'EM_PRODUCAO',
] as const;
export type Etapa = (typeof ETAPAS)[number];

export const AMBIENTE_DA_ETAPA: Record<Etapa, Ambiente> = {
  ANALISE_CADASTRO: 'HOMOLOGACAO',
  CADASTRO_REJEITADO: 'HOMOLOGACAO',
  CONFIGURACAO_ESTRUTURA: 'HOMOLOGACAO',
  IMPLANTACAO_HOMOLOGACAO: 'HOMOLOGACAO',
  VALIDACAO_HOMOLOGACAO: 'HOMOLOGACAO',
  ACESSO_PRODUCAO: 'PRODUCAO',
  VALIDACAO_PRODUCAO: 'PRODUCAO',
  EM_PRODUCAO: 'PRODUCAO',
};

/** The stage in which an environment's minimum requirements are done (and may change). */
export const ETAPA_DOS_REQUISITOS: Record<Ambiente, Etapa> = {
  HOMOLOGACAO: 'IMPLANTACAO_HOMOLOGACAO',
  PRODUCAO: 'ACESSO_PRODUCAO',
};

/**
 * Whether an agency at `etapa` exchanges trâmites in `ambiente` (docs/domain.md §6, §8): homologação once its
 * registration is approved and its structure configured, produção once production access is granted (its tests with
 * the test unit included). An agency with no onboarding predates it (an agency in operation before the gateway, such
 * as the test unit's MGI): admitted in both.
 */
export const ETAPAS_ADMITIDAS: Record<Ambiente, readonly Etapa[]> = {
  HOMOLOGACAO: ['IMPLANTACAO_HOMOLOGACAO', 'VALIDACAO_HOMOLOGACAO', 'ACESSO_PRODUCAO', 'VALIDACAO_PRODUCAO', 'EM_PRODUCAO'],
  PRODUCAO: ['ACESSO_PRODUCAO', 'VALIDACAO_PRODUCAO', 'EM_PRODUCAO'],
};

export function admitidoNoAmbiente(etapa: Etapa | null, ambiente: Ambiente): boolean {
  return etapa === null || ETAPAS_ADMITIDAS[ambiente].includes(etapa);
}

/** Who acts: the agency's own people (gestor de protocolo) or the PEN team. */
export type Responsavel = 'ORGAO' | 'PEN';

/** What must hold for a move, checked against the database by the service. */
export type Condicao = 'UNIDADES_DEFINIDAS' | 'REQUISITOS_HOMOLOGACAO' | 'REQUISITOS_PRODUCAO' | 'CONFIGURACAO_PRODUCAO_CONFIRMADA';

export type AcaoOnboarding =
  | 'SOLICITAR_ACESSO'
  | 'APROVAR_CADASTRO'
  | 'REJEITAR_CADASTRO'
  | 'CONCLUIR_CONFIGURACAO'
  | 'SOLICITAR_VALIDACAO_HOMOLOGACAO'
  | 'VALIDAR_HOMOLOGACAO'
  | 'REPROVAR_HOMOLOGACAO'
  | 'SOLICITAR_VALIDACAO_PRODUCAO'
  | 'VALIDAR_PRODUCAO'
  | 'REPROVAR_PRODUCAO';

export interface PassoOnboarding {
  acao: AcaoOnboarding;
  /** null: the agency has no onboarding yet. */
  de: readonly (Etapa | null)[];
  para: Etapa;
  responsavel: Responsavel;
  condicoes: readonly Condicao[];
  /** Going back or refusing needs a reason, recorded in the history. */
  exigeMotivo: boolean;
}

export const PASSOS_ONBOARDING: readonly PassoOnboarding[] = [
  {
    acao: 'SOLICITAR_ACESSO',
    de: [null, 'CADASTRO_REJEITADO'],
    para: 'ANALISE_CADASTRO',
    responsavel: 'ORGAO',
    condicoes: [],
    exigeMotivo: false,
  },
  {
    acao: 'APROVAR_CADASTRO',
    de: ['ANALISE_CADASTRO'],
    para: 'CONFIGURACAO_ESTRUTURA',
    responsavel: 'PEN',
    condicoes: [],
    exigeMotivo: false,
  },
  { acao: 'REJEITAR_CADASTRO', de: ['ANALISE_CADASTRO'], para: 'CADASTRO_REJEITADO', responsavel: 'PEN', condicoes: [], exigeMotivo: true },
  {
    acao: 'CONCLUIR_CONFIGURACAO',
    de: ['CONFIGURACAO_ESTRUTURA'],
    para: 'IMPLANTACAO_HOMOLOGACAO',
    responsavel: 'ORGAO',
    condicoes: ['UNIDADES_DEFINIDAS'],
    exigeMotivo: false,
  },
  {
    acao: 'SOLICITAR_VALIDACAO_HOMOLOGACAO',
    de: ['IMPLANTACAO_HOMOLOGACAO'],
    para: 'VALIDACAO_HOMOLOGACAO',
    responsavel: 'ORGAO',
    condicoes: ['REQUISITOS_HOMOLOGACAO'],
    exigeMotivo: false,
  },
  {
    acao: 'VALIDAR_HOMOLOGACAO',
    de: ['VALIDACAO_HOMOLOGACAO'],
    para: 'ACESSO_PRODUCAO',
    responsavel: 'PEN',
    condicoes: ['REQUISITOS_HOMOLOGACAO'],
    exigeMotivo: false,
  },
  {
    acao: 'REPROVAR_HOMOLOGACAO',
    de: ['VALIDACAO_HOMOLOGACAO'],
    para: 'IMPLANTACAO_HOMOLOGACAO',
    responsavel: 'PEN',
    condicoes: [],
    exigeMotivo: true,
  },
  {
    acao: 'SOLICITAR_VALIDACAO_PRODUCAO',
    de: ['ACESSO_PRODUCAO'],
    para: 'VALIDACAO_PRODUCAO',
    responsavel: 'ORGAO',
    condicoes: ['CONFIGURACAO_PRODUCAO_CONFIRMADA', 'REQUISITOS_PRODUCAO'],
    exigeMotivo: false,
  },
  {
    acao: 'VALIDAR_PRODUCAO',
    de: ['VALIDACAO_PRODUCAO'],
    para: 'EM_PRODUCAO',
    responsavel: 'PEN',
    condicoes: ['REQUISITOS_PRODUCAO'],
    exigeMotivo: false,
  },
  { acao: 'REPROVAR_PRODUCAO', de: ['VALIDACAO_PRODUCAO'], para: 'ACESSO_PRODUCAO', responsavel: 'PEN', condicoes: [], exigeMotivo: true },
];

export const PASSO_ONBOARDING: Record<AcaoOnboarding, PassoOnboarding> = Object.fromEntries(
  PASSOS_ONBOARDING.map((p) => [p.acao, p]),
) as Record<AcaoOnboarding, PassoOnboarding>;

/** Whether a viewer takes a step of this kind for this agency. */
export function podeAgir(viewer: Viewer, responsavel: Responsavel, orgaoId: number): boolean {
  if (responsavel === 'PEN') return isPenAdmin(viewer);
  return actsForAgency(viewer) && viewer.papeis.has('GESTOR_PROTOCOLO') && viewer.orgaoId === orgaoId;
}

export function passosOnboardingAPartirDe(etapa: Etapa | null): PassoOnboarding[] {
  return PASSOS_ONBOARDING.filter((p) => p.de.includes(etapa));
}

/** Requirement states that satisfy a requirement (a pending one has no row; REGISTRADO awaits PEN). */
export const REQUISITO_SATISFEITO = ['CONFIRMADO', 'ATENDIDO_AUTOMATICAMENTE'] as const;

/** How a trâmite test requirement is met, for the agency that took part. */
export type TipoRequisitoTramite = 'TRAMITE_ENVIADO_COM_SUCESSO' | 'TRAMITE_RECEBIDO_COM_SUCESSO' | 'RECUSA_COMO_DESTINATARIO';

/**
 * Which trâmite test a trâmite that just reached `situacao` satisfies for an agency on `lado`:
 * (a) sent with success (6, remetente); (b) received with success (6, destinatário);
 * (c) a refusal of receipt acknowledged by the sender (9, the agency as destinatário).
 */
export function requisitoAtendidoPorTramite(situacao: number, lado: 'REMETENTE' | 'DESTINATARIO'): TipoRequisitoTramite | null {
  if (situacao === 6) return lado === 'REMETENTE' ? 'TRAMITE_ENVIADO_COM_SUCESSO' : 'TRAMITE_RECEBIDO_COM_SUCESSO';
  if (situacao === 9 && lado === 'DESTINATARIO') return 'RECUSA_COMO_DESTINATARIO';
  return null;
}

/** Production tests are exchanged with the test unit (DISIS by default) and described as tests. */
export function descricaoDeTeste(descricao: string | null): boolean {
  return !!descricao && /^\s*TESTE\b/i.test(descricao);
}

export type AcaoRequisito = 'REGISTRAR_REQUISITO' | 'CONFIRMAR_REQUISITO' | 'RECUSAR_REQUISITO';

/**
 * A configuration item's next state under an action, or why the action is refused (pt-BR, for the
 * person): the agency registers it (again, unless PEN already confirmed it); PEN confirms a registered
 * item, and may send back a registered or a confirmed one (e.g. after failing a validation on it),
 * which makes it pending again. The service and the demo planner both decide with this.
 */
export function proximaSituacaoRequisito(
  acao: AcaoRequisito,
  atual: string | null,
): { situacao: 'REGISTRADO' | 'CONFIRMADO' | 'PENDENTE' } | { recusa: string } {
  if (acao === 'REGISTRAR_REQUISITO')
    return atual === 'CONFIRMADO' ? { recusa: 'requisito já confirmado pelo PEN' } : { situacao: 'REGISTRADO' };
  if (acao === 'CONFIRMAR_REQUISITO') {
    return atual === 'REGISTRADO' ? { situacao: 'CONFIRMADO' } : { recusa: 'só um requisito registrado pelo órgão pode ser confirmado' };
  }
  return atual === 'REGISTRADO' || atual === 'CONFIRMADO'
    ? { situacao: 'PENDENTE' }
    : { recusa: 'só um requisito registrado ou confirmado pode ser devolvido' };
}

/** The agency records "testes iniciados" once, in produção, while doing its requirements there. */
export const ETAPA_DOS_TESTES_DE_PRODUCAO: Etapa = ETAPA_DOS_REQUISITOS.PRODUCAO;

/**
 * How long a notice waits after its `tentativas`-th failed delivery: doubling from `baseMs`, at most
 * one hour, so an SMTP server down for a while is retried often at first, then gently.
 */
export function atrasoDeNovaTentativa(tentativas: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, tentativas - 1), 60 * 60 * 1000);
}

/** The institutional e-mail telling the PEN team an agency began its production tests (MTO, stage 7). */
export function avisoTestesIniciados(orgao: { nome: string; sigla: string }, gestor: string, em: Date): { assunto: string; corpo: string } {
  return {
    assunto: `Tramita.GOV.BR – início dos testes em produção – ${orgao.sigla}`,
    corpo: [
      'À equipe do Processo Eletrônico Nacional,',
      '',
      `O órgão ${orgao.nome} (${orgao.sigla}) informa que iniciou em ${em.toISOString()} os testes em produção do Tramita.GOV.BR`,
      'com a unidade de testes, descritos como "TESTE – <órgão>", e solicita o acompanhamento da equipe técnica.',
      '',
      `Registrado por: ${gestor}`,
    ].join('\n'),
  };
}

/** The stages where the next move is the PEN team's (its queue): every forward step from them is PEN's. */
export const ETAPAS_AGUARDANDO_PEN: readonly Etapa[] = ETAPAS.filter((e) => {
  const avancos = passosOnboardingAPartirDe(e).filter((p) => !p.exigeMotivo);
  return avancos.length > 0 && avancos.every((p) => p.responsavel === 'PEN');
});

/**
 * The stages in which an environment's configuration (its gestores, its SPE key) is kept by the agency: homologação's
 * from the approved registration on; produção's from production access on (where it starts as homologação's copy).
 */
export const ETAPAS_DA_CONFIGURACAO: Record<Ambiente, readonly Etapa[]> = {
  HOMOLOGACAO: ETAPAS.filter((e) => e !== 'ANALISE_CADASTRO' && e !== 'CADASTRO_REJEITADO'),
  PRODUCAO: ETAPAS_ADMITIDAS.PRODUCAO,
};

/** The step that grants production access: it replicates homologação's configuration into produção. */
export const ACAO_ACESSO_PRODUCAO: AcaoOnboarding = 'VALIDAR_HOMOLOGACAO';

/** What a produção configuration lacks before the agency may confirm it (pt-BR, for the person). */
export function faltasDaConfiguracao(c: {
  gestores: number;
  chaveSpe: boolean;
  unidadesEnvio: number;
  unidadesRecebimento: number;
}): string[] {
  const faltas: string[] = [];
  if (c.gestores === 0) faltas.push('cadastrar ao menos um gestor de protocolo em produção');
  if (!c.chaveSpe) faltas.push('registrar a chave pública do SPE em produção (o certificado de produção é outro)');
  if (c.unidadesEnvio === 0) faltas.push('habilitar ao menos uma unidade para envio em produção');
  if (c.unidadesRecebimento === 0) faltas.push('habilitar ao menos uma unidade para recebimento em produção');
  return faltas;
}
