import { builder } from '../../schema/builder.js';
import { requireViewer } from '../../schema/context.js';
import { LadoTramite, SituacaoTramite, Tramite } from './tramite.js';
import { acoesPermitidas, PASSOS, SITUACAO_INFO, SITUACOES, type Acao, type Passo, type SituacaoInfo } from '../regras.js';

/** The mutation that takes each step (the platform's own step has none). */
export const MUTACAO_POR_ACAO: Record<Acao, string | null> = {
  INICIAR: 'iniciarTramite',
  ENVIAR_COMPONENTES_DIGITAIS: 'registrarComponentesDigitaisEnviados',
  RECEBER_METADADOS: 'registrarMetadadosRecebidos',
  RECEBER_COMPONENTES_DIGITAIS: 'registrarComponentesDigitaisRecebidos',
  ENVIAR_RECIBO_CONCLUSAO: 'enviarReciboConclusao',
  RECEBER_RECIBO_CONCLUSAO: 'registrarReciboConclusaoRecebido',
  CANCELAR: 'cancelarTramite',
  RECUSAR: 'recusarTramite',
  DAR_CIENCIA_RECUSA: 'darCienciaRecusa',
  CANCELAR_AUTOMATICAMENTE: null,
};

const DESCRICAO_ACAO: Record<Acao, string> = {
  INICIAR: 'Iniciar o trâmite (→ 1).',
  ENVIAR_COMPONENTES_DIGITAIS: 'Concluir o envio dos componentes digitais (1 → 2).',
  RECEBER_METADADOS: 'Registrar o recebimento dos metadados (2 → 3).',
  RECEBER_COMPONENTES_DIGITAIS: 'Registrar o recebimento dos componentes digitais (3 → 4).',
  ENVIAR_RECIBO_CONCLUSAO: 'Enviar o recibo de conclusão (4 → 5).',
  RECEBER_RECIBO_CONCLUSAO: 'Registrar o recebimento do recibo de conclusão (5 → 6).',
  CANCELAR: 'Cancelar (1-4 → 7).',
  RECUSAR: 'Recusar, com motivo e justificativa (3-4 → 8).',
  DAR_CIENCIA_RECUSA: 'Dar ciência da recusa (8 → 9).',
  CANCELAR_AUTOMATICAMENTE: 'Cancelamento automático pela plataforma após dias sem mudança (1-4 → 10).',
};

export const AcaoTramite = builder.enumType('AcaoTramite', {
  description: 'Os passos do fluxo de um trâmite.',
  values: Object.fromEntries(PASSOS.map((p) => [p.acao, { description: DESCRICAO_ACAO[p.acao] }])) as Record<Acao, { description: string }>,
});

const SituacaoInfoRef = builder.objectRef<SituacaoInfo>('SituacaoInfo').implement({
  description: 'Uma situação do fluxo, como o manual a descreve.',
  fields: (t) => ({
    situacao: t.field({ type: SituacaoTramite, description: 'A situação.', resolve: (s) => s.codigo }),
    codigo: t.exposeInt('codigo', { description: 'Código oficial (1 a 10).' }),
    nome: t.exposeString('nome', { description: 'Nome oficial (FAQ 7.12).' }),
    final: t.exposeBoolean('final', { description: 'Situação final: o trâmite não muda mais.' }),
    quemDeveAgir: t.field({
      type: LadoTramite,
      nullable: true,
      description: 'Lado que precisa agir para o trâmite seguir; nulo nas finais.',
      resolve: (s) => s.quemDeveAgir,
    }),
  }),
});

const PassoRef = builder.objectRef<Passo>('PassoFluxo').implement({
  description: 'Uma transição permitida do fluxo: de quais situações, para qual, e quem age.',
  fields: (t) => ({
    acao: t.field({ type: AcaoTramite, description: 'O passo.', resolve: (p) => p.acao }),
    de: t.field({ type: [SituacaoTramite], description: 'Situações de onde o passo parte (vazio para iniciar).', resolve: (p) => [...p.de] }),
    para: t.field({ type: SituacaoTramite, description: 'Situação a que o passo leva.', resolve: (p) => p.para }),
    lado: t.field({ type: LadoTramite, description: 'Lado que age.', resolve: (p) => p.lado }),
    mutacao: t.string({
      nullable: true,
      description: 'Nome da mutação que faz o passo; nulo para o passo da própria plataforma.',
      resolve: (p) => MUTACAO_POR_ACAO[p.acao],
    }),
  }),
});

const GrafoRef = builder.objectRef<{ situacoes: SituacaoInfo[]; passos: readonly Passo[] }>('GrafoSituacoes').implement({
  description: 'O fluxo completo de situações do manual, para desenhar sem codificar no frontend.',
  fields: (t) => ({
    situacoes: t.field({ type: [SituacaoInfoRef], description: 'As dez situações.', resolve: (g) => g.situacoes }),
    passos: t.field({ type: [PassoRef], description: 'Todas as transições permitidas.', resolve: (g) => [...g.passos] }),
  }),
});

builder.queryField('grafoSituacoes', (t) =>
  t.field({
    type: GrafoRef,
    description: 'O grafo oficial de situações e transições (o mesmo que as mutações aplicam).',
    resolve: (_root, _args, ctx) => {
      requireViewer(ctx);
      return { situacoes: SITUACOES.map((s) => SITUACAO_INFO[s]), passos: PASSOS };
    },
  }),
);

builder.drizzleObjectFields(Tramite, (t) => ({
  acoesPermitidas: t.field({
    type: [AcaoTramite],
    description: 'Os passos que você pode dar agora neste trâmite (vazio se nenhum).',
    resolve: (row, _args, ctx) =>
      acoesPermitidas(requireViewer(ctx), { ...row, situacao: row.situacao as (typeof SITUACOES)[number] }).map((p) => p.acao),
  }),
}));
