/** The official status graph (statuses and allowed steps), as data a frontend draws without hard-coding it. */
import { builder } from '../../schema/builder.js';
import { AcaoTramite, LadoTramite, MUTACAO_POR_ACAO, SituacaoTramite } from './tramite.js';
import { PASSOS, SITUACAO_INFO, SITUACOES, type Passo, type SituacaoInfo } from '../regras.js';

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
    de: t.field({
      type: [SituacaoTramite],
      description: 'Situações de onde o passo parte (vazio para iniciar).',
      resolve: (p) => [...p.de],
    }),
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
    resolve: () => ({ situacoes: SITUACOES.map((s) => SITUACAO_INFO[s]), passos: PASSOS }),
  }),
);
