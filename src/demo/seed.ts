import { and, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { ADVISORY_LOCKS } from '../kernel/locks.js';
import { ATOR_PLATAFORMA as PLATAFORMA } from '../kernel/platform.js';
import { AMBIENTES } from '../kernel/ambiente.js';
import { configuracoesUnidade, estruturas } from '../orgaos/tables.js';
import { sistemaOrgaos, sistemas } from '../sistemas/tables.js';
import {
  DIAS_PARA_CANCELAMENTO_AUTOMATICO,
  type LadoAtor,
  type MotivoRecusa,
  PASSOS,
  type Situacao,
  SITUACAO_INFO,
} from '../tramites/regras.js';
import { tramiteEventos, tramites } from '../tramites/tables.js';
import { codigoDoSpe, type DemoAccount } from './contas.js';
import {
  ASSUNTOS_GERAIS,
  ESPECIES_AVULSO,
  NUM_GO,
  NUM_INSS,
  NUM_MEC,
  NUM_MGI,
  NUM_MS,
  NUM_TRF1,
  ORGAOS,
  type OrgaoDef,
  SISTEMAS,
  REPO_ESTADOS,
  REPO_EXECUTIVO,
  REPO_JUDICIARIO,
  type UnidadeDef,
} from './dados.js';
import { validarChavePublica } from '../onboarding/chaves-spe.js';
import { REPOSITORIO_CONTRAPARTES } from '../onboarding/contrapartes.js';
import { chavesPublicasSpe } from '../onboarding/tables.js';
import { CHAVE_PUBLICA_SPE_DEMO, CHAVE_RECIBOS_DEMO } from './chaves-spe.js';
import { semearCarga } from './carga.js';
import type { NovoEvento } from '../tramites/eventos.js';
import { criarAssinadorDeRecibos, type ChaveDeAssinatura } from '../tramites/recibos.js';
import { nup } from './nup.js';
import { Rng } from './rng.js';
import { DEMO_CONTAS_ONBOARDING, seedOnboardingDemo } from './onboarding.js';

/**
 * Demo data: a plausible slice of Tramita.GOV.BR's production (federal ministries, autarchies, a court,
 * the TCU, a state government), their unit trees, and ~200 trâmites over the last ~60 days whose event
 * logs walk the status machine of `regras.ts` exactly. Deterministic: the same `now` gives the same data.
 * The world it plans over is plain data in dados.ts.
 */

// ---------------------------------------------------------------------------------------------------
// Demo accounts (the token minting script and the docs use them)
// ---------------------------------------------------------------------------------------------------

export type { DemoAccount } from './contas.js';
export { DEMO_UNIDADE_TESTES_PRODUCAO } from './contas.js';

const CONTAS_DOS_ORGAOS_EM_OPERACAO: DemoAccount[] = [
  { sujeito: 'pen.admin', descricao: 'Equipe PEN – administradora da plataforma (vê todos os órgãos)', papeis: ['PEN_ADMIN'], orgao: null },
  {
    sujeito: 'gestor.ana@mgi',
    descricao: 'Gestora de protocolo do MGI (DISIS)',
    papeis: ['GESTOR_PROTOCOLO'],
    orgao: { repositorio: REPO_EXECUTIVO, estrutura: NUM_MGI },
  },
  {
    sujeito: 'spe:sei.mgi.gov.br',
    descricao: 'SEI do MGI (sistema de processo eletrônico)',
    papeis: ['SPE'],
    orgao: { repositorio: REPO_EXECUTIVO, estrutura: NUM_MGI },
  },
  {
    sujeito: 'gestor.carlos@saude',
    descricao: 'Gestor de protocolo do Ministério da Saúde',
    papeis: ['GESTOR_PROTOCOLO'],
    orgao: { repositorio: REPO_EXECUTIVO, estrutura: NUM_MS },
  },
  {
    sujeito: 'spe:sei.inss.gov.br',
    descricao: 'SEI do INSS (sistema de processo eletrônico)',
    papeis: ['SPE'],
    orgao: { repositorio: REPO_EXECUTIVO, estrutura: NUM_INSS },
  },
  {
    sujeito: 'spe:sei.saude.gov.br',
    descricao: 'SEI do Ministério da Saúde (sistema de processo eletrônico)',
    papeis: ['SPE'],
    orgao: { repositorio: REPO_EXECUTIVO, estrutura: NUM_MS },
  },
  {
    sujeito: 'gestora.patricia@mec',
    descricao: 'Gestora de protocolo do Ministério da Educação',
    papeis: ['GESTOR_PROTOCOLO'],
    orgao: { repositorio: REPO_EXECUTIVO, estrutura: NUM_MEC },
  },
  {
    sujeito: 'spe:sei.mec.gov.br',
    descricao: 'SEI do Ministério da Educação (sistema de processo eletrônico)',
    papeis: ['SPE'],
    orgao: { repositorio: REPO_EXECUTIVO, estrutura: NUM_MEC },
  },
  {
    sujeito: 'gestora.beatriz@trf1',
    descricao: 'Gestora de protocolo do TRF da 1ª Região',
    papeis: ['GESTOR_PROTOCOLO'],
    orgao: { repositorio: REPO_JUDICIARIO, estrutura: NUM_TRF1 },
  },
  {
    sujeito: 'spe:sei.trf1.jus.br',
    descricao: 'SEI do TRF da 1ª Região (sistema de processo eletrônico)',
    papeis: ['SPE'],
    orgao: { repositorio: REPO_JUDICIARIO, estrutura: NUM_TRF1 },
  },
  {
    sujeito: 'gestora.juliana@go',
    descricao: 'Gestora de protocolo do Governo do Estado de Goiás (em implantação)',
    papeis: ['GESTOR_PROTOCOLO'],
    orgao: { repositorio: REPO_ESTADOS, estrutura: NUM_GO },
  },
];

/** The SPE hosted by a Gestor Tecnológico for several agencies: it names the agency in each mutation (`orgao`). */
const CONTA_SPE_DE_VARIOS_ORGAOS: DemoAccount = {
  sujeito: 'spe:super.dataprev.gov.br',
  descricao: 'SUPER hospedado pela Dataprev para INSS, INCRA e ANVISA (SPE de vários órgãos: informe `orgao` nas mutações)',
  papeis: ['SPE'],
  orgao: null,
};

/**
 * Every demo account: the agencies in operation, the SPE serving several, then the gestores of the agencies being
 * onboarded. An SPE's account carries its system (`spe` claim).
 */
export const DEMO_ACCOUNTS: DemoAccount[] = [...CONTAS_DOS_ORGAOS_EM_OPERACAO, CONTA_SPE_DE_VARIOS_ORGAOS, ...DEMO_CONTAS_ONBOARDING].map(
  (a) => (a.papeis.includes('SPE') ? { ...a, spe: codigoDoSpe(a.sujeito) } : a),
);

// ---------------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------------

const SEGUNDO = 1_000;
const MINUTO = 60 * SEGUNDO;
const HORA = 60 * MINUTO;
const DIA = 24 * HORA;
const JANELA = 60 * DIA;
const AUTO_CANCEL = DIAS_PARA_CANCELAMENTO_AUTOMATICO * DIA;
const PEN_ADMIN = 'pen.admin';
const SEED = 0x7a3e_2026;

// ---------------------------------------------------------------------------------------------------
// Planning (pure): agencies, units, processes, trâmites and their events, with ms offsets
// ---------------------------------------------------------------------------------------------------

interface OrgaoNo {
  def: OrgaoDef;
  envio: UnidadeNo[];
  recebimento: UnidadeNo[];
  centralizadora: UnidadeNo;
}

interface UnidadeNo {
  def: UnidadeDef;
  orgao: OrgaoNo;
  numero: number;
  /** null for a root. */
  pai: UnidadeNo | null;
  nivel: number;
  envio: boolean;
  recebimento: boolean;
}

interface EventoPlano {
  de: Situacao | null;
  para: Situacao;
  lado: LadoAtor;
  sujeito: string;
  orgao: OrgaoNo | null;
  penAdmin: boolean;
  motivo: MotivoRecusa | null;
  justificativa: string | null;
  em: number;
}

interface TramitePlano {
  processo: ProcessoPlano;
  remetente: UnidadeNo;
  destinatario: UnidadeNo;
  eventos: EventoPlano[];
  idt: number;
}

interface ProcessoPlano {
  origem: OrgaoNo;
  tipo: 'PROCESSO' | 'DOCUMENTO_AVULSO';
  descricao: string;
  inicio: number;
  nre: string;
  numero: string;
  tramites: TramitePlano[];
}

function montarEstruturas(rng: Rng): { orgaos: OrgaoNo[]; unidades: UnidadeNo[] } {
  const orgaos: OrgaoNo[] = [];
  const unidades: UnidadeNo[] = [];
  const usados = new Set<string>();
  const proximo = new Map<number, number>();
  for (const def of ORGAOS) {
    usados.add(`${def.repositorio}:${def.numero}`);
    for (const d of todasDefs(def.unidades)) if (d.numero !== undefined) usados.add(`${def.repositorio}:${d.numero}`);
  }
  const numeroNovo = (repositorio: number): number => {
    let n = proximo.get(repositorio) ?? 200_000;
    do n += rng.int(1, 60);
    while (usados.has(`${repositorio}:${n}`));
    proximo.set(repositorio, n);
    usados.add(`${repositorio}:${n}`);
    return n;
  };
  for (const def of ORGAOS) {
    const orgao = { def, envio: [], recebimento: [] } as unknown as OrgaoNo;
    const raiz: UnidadeNo = {
      def: { sigla: def.sigla, nome: def.nome, hab: '-', filhas: def.unidades },
      orgao,
      numero: def.numero,
      pai: null,
      nivel: 0,
      envio: false,
      recebimento: false,
    };
    unidades.push(raiz);
    const visitar = (pai: UnidadeNo, filhas: UnidadeDef[]) => {
      for (const d of filhas) {
        const no: UnidadeNo = {
          def: d,
          orgao,
          numero: d.numero ?? numeroNovo(def.repositorio),
          pai,
          nivel: pai.nivel + 1,
          envio: d.hab === 'ER' || d.hab === 'E',
          recebimento: d.hab === 'ER' || d.hab === 'R',
        };
        unidades.push(no);
        if (no.envio) orgao.envio.push(no);
        if (no.recebimento) orgao.recebimento.push(no);
        if (d.central) orgao.centralizadora = no;
        visitar(no, d.filhas);
      }
    };
    visitar(raiz, def.unidades);
    if (!orgao.centralizadora?.envio || !orgao.centralizadora.recebimento) {
      throw new Error(`${def.sigla}: the centralizadora must be enabled to send and receive`);
    }
    orgaos.push(orgao);
  }
  return { orgaos, unidades };
}

function todasDefs(defs: UnidadeDef[]): UnidadeDef[] {
  return defs.flatMap((d) => [d, ...todasDefs(d.filhas)]);
}

/** The PASSO that moves `de` → `para` (throws if the status machine does not allow it). */
function passo(de: Situacao | null, para: Situacao) {
  const p = PASSOS.find((x) => x.para === para && (de === null ? x.de.length === 0 : x.de.includes(de)));
  if (!p) throw new Error(`move ${de} -> ${para} is not in PASSOS`);
  return p;
}

/** Statuses a trâmite goes through to end at `fim`. */
function caminho(fim: Situacao, rng: Rng): Situacao[] {
  const ate = (n: number): Situacao[] => Array.from({ length: n }, (_, i) => (i + 1) as Situacao);
  switch (fim) {
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
      return ate(fim);
    case 6:
      return ate(6);
    case 7:
      return [
        ...ate(
          rng.weighted([
            [1, 3],
            [2, 4],
            [3, 2],
            [4, 1],
          ] as const),
        ),
        7,
      ];
    case 10:
      // Most auto-cancellations: the destination's SPE never fetched the metadata (stuck in 2).
      return [
        ...ate(
          rng.weighted([
            [1, 2],
            [2, 5],
            [3, 2],
            [4, 1],
          ] as const),
        ),
        10,
      ];
    case 8:
      return [...ate(rng.chance(0.5) ? 3 : 4), 8];
    case 9:
      return [...ate(rng.chance(0.5) ? 3 : 4), 8, 9];
  }
}

/** Time between the previous event and one reaching `para` from `de`. Within 1-4 always < 8 days. */
function intervalo(de: Situacao, para: Situacao, rng: Rng): number {
  switch (para) {
    case 2:
      return rng.chance(0.9) ? rng.ms(30 * SEGUNDO, 20 * MINUTO) : rng.ms(1 * HORA, 9 * HORA);
    case 3:
      return rng.chance(0.85) ? rng.ms(1 * MINUTO, 2 * HORA) : rng.ms(6 * HORA, 2 * DIA);
    case 4:
      return rng.ms(20 * SEGUNDO, 30 * MINUTO);
    case 5:
      return rng.chance(0.8) ? rng.ms(5 * MINUTO, 8 * HORA) : rng.ms(1 * DIA, 3 * DIA);
    case 6:
      return rng.ms(1 * MINUTO, 2 * HORA);
    case 7:
      return rng.ms(1 * HORA, 5 * DIA);
    case 8:
      return rng.ms(30 * MINUTO, 3 * DIA);
    case 9:
      return rng.ms(1 * HORA, 6 * DIA);
    case 10:
      // The platform's job cancels once the trâmite has gone 8 days without a change.
      return AUTO_CANCEL + rng.ms(5 * MINUTO, 20 * HORA);
    default:
      throw new Error(`no interval for ${de} -> ${para}`);
  }
}

const JUSTIFICATIVAS: Record<MotivoRecusa, string[]> = {
  '01': [
    'O componente digital do documento "Planilha de custos" foi enviado em formato .rar, não aceito. Reenviar em PDF.',
    'Arquivo de vídeo em formato .wmv não é suportado pelo sistema desta unidade.',
  ],
  '02': [
    'O hash SHA-256 do componente digital do documento "Despacho" não confere com o informado nos metadados.',
    'Componente digital do documento "Nota Técnica" corrompido: não foi possível abrir o arquivo recebido.',
  ],
  '03': [
    'O processo chegou sem o componente digital do documento "Parecer". Favor reenviar o processo completo.',
    'Faltam os anexos do Ofício (documentos 4 a 7 da árvore do processo).',
  ],
  '04': [
    'A espécie documental "Memorando-Circular" não está mapeada para recebimento nesta unidade.',
    'Espécie documental "Informação Técnica" sem correspondência no mapeamento do SPE destinatário.',
  ],
  '99': [
    'Processo encaminhado a esta unidade por engano; a competência é da área de gestão de pessoas do órgão.',
    'Assunto não é de competência desta unidade. Sugere-se o envio ao protocolo central do órgão.',
    'Processo duplicado: já recebido anteriormente por esta unidade.',
  ],
};

function recusa(de: Situacao, rng: Rng): { motivo: MotivoRecusa; justificativa: string } {
  // At status 3 only the metadata arrived: reasons about the files themselves come later, at 4.
  const motivo: MotivoRecusa =
    de === 3
      ? rng.weighted([
          ['04', 3],
          ['99', 5],
          ['01', 1],
        ] as const)
      : rng.weighted([
          ['01', 2],
          ['02', 2],
          ['03', 2],
          ['04', 2],
          ['99', 3],
        ] as const);
  return { motivo, justificativa: rng.pick(JUSTIFICATIVAS[motivo]) };
}

function eventosDoCaminho(
  situacoes: Situacao[],
  remetente: UnidadeNo,
  destinatario: UnidadeNo,
  rng: Rng,
  opcoes: { motivo?: MotivoRecusa; justificativa?: string; cancelamentoPeloPen?: boolean } = {},
): EventoPlano[] {
  const eventos: EventoPlano[] = [];
  let de: Situacao | null = null;
  for (const para of situacoes) {
    let { lado } = passo(de, para);
    let orgao = lado === 'REMETENTE' ? remetente.orgao : lado === 'DESTINATARIO' ? destinatario.orgao : null;
    let sujeito = PLATAFORMA;
    let motivo: MotivoRecusa | null = null;
    let justificativa: string | null = null;
    // The PEN team cancels on the sender's request (docs/domain.md §5), with its reason, as the platform: for no side.
    const penAdmin = para === 7 && (opcoes.cancelamentoPeloPen ?? rng.chance(0.08));
    if (penAdmin) {
      sujeito = PEN_ADMIN;
      orgao = null;
      lado = 'PLATAFORMA';
      justificativa = `Cancelado a pedido do órgão remetente (${remetente.orgao.def.sigla}): trâmite parado, chamado aberto na central de atendimento do PEN.`;
    } else if (orgao) {
      // The sender's gestor de protocolo may cancel; every other step is the agency's SPE's.
      const pessoa = para === 7 ? rng.chance(0.7) : false;
      sujeito = pessoa ? rng.pick(orgao.def.gestores) : orgao.def.spe;
    }
    if (para === 8 && de !== null) {
      const r = recusa(de, rng);
      motivo = opcoes.motivo ?? r.motivo;
      justificativa = opcoes.justificativa ?? r.justificativa;
    }
    eventos.push({
      de,
      para,
      lado,
      sujeito,
      orgao,
      penAdmin,
      motivo,
      justificativa,
      em: de === null ? 0 : intervalo(de, para, rng),
    });
    de = para;
  }
  return eventos;
}

function escolherRecebedora(orgao: OrgaoNo, rng: Rng, evitar?: UnidadeNo): UnidadeNo {
  const opcoes = orgao.recebimento.filter((x) => x !== evitar);
  const lista = opcoes.length > 0 ? opcoes : orgao.recebimento;
  // Most processes are addressed to the protocol (centralising) unit.
  return rng.weighted(lista.map((x) => [x, x === orgao.centralizadora ? 4 : 1] as const));
}

function escolherRemetente(orgao: OrgaoNo, rng: Rng): UnidadeNo {
  return rng.weighted(orgao.envio.map((x) => [x, x === orgao.centralizadora ? 2 : 1] as const));
}

type Cenario = 'simples' | 'recusa_reenvio' | 'ida_volta' | 'cancelado_reenvio' | 'diligencia';

interface Etapa {
  remetente: UnidadeNo;
  destinatario: UnidadeNo;
  fim: Situacao;
  recusa?: { motivo: MotivoRecusa; justificativa: string };
  cancelamentoPeloPen?: boolean;
}

/** How long the last trâmite of a process has been sitting in its status (its "idle" time). */
function ociosidade(fim: Situacao, parado: boolean | undefined, rng: Rng, folga: number): number | null {
  const emAndamento = !SITUACAO_INFO[fim].final;
  if (!emAndamento) return folga <= 0 ? null : rng.ms(10 * MINUTO, folga);
  const p = parado ?? rng.chance(fim === 5 || fim === 8 ? 0.5 : 0.3);
  if (fim === 5 || fim === 8) {
    return p ? rng.ms(10 * DIA, 30 * DIA) : fim === 5 ? rng.ms(2 * MINUTO, 2 * DIA) : rng.ms(1 * HORA, 5 * DIA);
  }
  // 1-4: "parados" for 3 to 7 days; never 8 (the platform would have cancelled them).
  return p ? rng.ms(3 * DIA, 7 * DIA) : rng.ms(2 * MINUTO, 36 * HORA);
}

interface Pedido {
  fim: Situacao;
  parado?: boolean;
  cenario?: Cenario;
  cancelamentoPeloPen?: boolean;
}

function planejarProcesso(orgaos: OrgaoNo[], pedido: Pedido, rng: Rng, nowMs: number): ProcessoPlano {
  for (let tentativa = 0; tentativa < 200; tentativa++) {
    const cenario: Cenario =
      pedido.cenario ??
      rng.weighted([
        ['simples', 55],
        ['recusa_reenvio', 13],
        ['ida_volta', 14],
        ['cancelado_reenvio', 10],
        ['diligencia', 8],
      ] as const);
    const pesos = orgaos.map((o) => [o, o.def.peso] as const);
    const origem = rng.weighted(pesos);
    const destino = rng.weighted(pesos.filter(([o]) => o !== origem));
    const avulso = (cenario === 'simples' || cenario === 'recusa_reenvio' || cenario === 'cancelado_reenvio') && rng.chance(0.2);

    const ida = (): Etapa => ({ remetente: escolherRemetente(origem, rng), destinatario: escolherRecebedora(destino, rng), fim: 6 });
    const volta = (anterior: Etapa): Etapa => ({
      remetente: anterior.destinatario.envio ? anterior.destinatario : escolherRemetente(anterior.destinatario.orgao, rng),
      destinatario: anterior.remetente.recebimento ? anterior.remetente : anterior.remetente.orgao.centralizadora,
      fim: 6,
    });
    const etapas: Etapa[] = [];
    const primeira = ida();
    switch (cenario) {
      case 'simples':
        etapas.push({ ...primeira, fim: pedido.fim, cancelamentoPeloPen: pedido.cancelamentoPeloPen });
        break;
      case 'recusa_reenvio': {
        // A refusal for "wrong unit" is followed by a resend to another unit of the same agency.
        const outra = rng.chance(0.5);
        if (outra) primeira.recusa = { motivo: '99', justificativa: rng.pick(JUSTIFICATIVAS['99'].slice(0, 2)) };
        etapas.push({ ...primeira, fim: 9 });
        etapas.push({
          remetente: primeira.remetente,
          destinatario: outra ? escolherRecebedora(destino, rng, primeira.destinatario) : primeira.destinatario,
          fim: pedido.fim,
        });
        break;
      }
      case 'ida_volta':
        etapas.push(primeira, { ...volta(primeira), fim: pedido.fim });
        break;
      case 'cancelado_reenvio':
        etapas.push({ ...primeira, fim: rng.chance(0.5) ? 7 : 10 }, { ...primeira, fim: pedido.fim });
        break;
      case 'diligencia': {
        const segunda = volta(primeira);
        etapas.push(primeira, segunda, { ...volta(segunda), fim: pedido.fim });
        break;
      }
    }

    const planos: TramitePlano[] = etapas.map((e) => ({
      processo: undefined as unknown as ProcessoPlano,
      remetente: e.remetente,
      destinatario: e.destinatario,
      eventos: eventosDoCaminho(caminho(e.fim, rng), e.remetente, e.destinatario, rng, {
        ...e.recusa,
        cancelamentoPeloPen: e.cancelamentoPeloPen,
      }),
      idt: 0,
    }));
    // Gaps before each trâmite after the first: the previous one ended with this status.
    const intervalosEntre = planos.slice(1).map((_, i) => {
      const anterior = planos[i]!.eventos.at(-1)!.para;
      if (anterior === 9) return rng.ms(2 * HORA, 4 * DIA);
      if (anterior === 6) return rng.ms(1 * DIA, 20 * DIA);
      if (anterior === 7) return rng.ms(10 * MINUTO, 2 * DIA);
      return rng.ms(1 * HORA, 5 * DIA); // after 10: the sender notices, unlocks and resends
    });
    const duracao = planos.reduce((s, t) => s + t.eventos.reduce((x, e) => x + e.em, 0), 0) + intervalosEntre.reduce((s, x) => s + x, 0);
    const ocioso = ociosidade(pedido.fim, pedido.parado, rng, JANELA - duracao);
    if (ocioso === null || duracao + ocioso > JANELA) continue;

    // Absolute times, forward from the start.
    let t = nowMs - duracao - ocioso;
    const inicio = t;
    planos.forEach((plano, i) => {
      if (i > 0) t += intervalosEntre[i - 1]!;
      for (const e of plano.eventos) {
        t += e.em;
        e.em = t;
      }
    });
    const descricao = avulso
      ? `${rng.pick(ESPECIES_AVULSO)} nº ${rng.int(12, 480)}/${new Date(inicio).getUTCFullYear()}/${primeira.remetente.def.sigla} – ${rng.pick(
          rng.chance(0.6) ? origem.def.assuntos : ASSUNTOS_GERAIS,
        )}`
      : rng.pick(rng.chance(0.6) ? origem.def.assuntos : ASSUNTOS_GERAIS);
    const processo: ProcessoPlano = {
      origem,
      tipo: avulso ? 'DOCUMENTO_AVULSO' : 'PROCESSO',
      descricao: descricao.length > 100 ? `${descricao.slice(0, 99)}…` : descricao,
      inicio,
      nre: '',
      numero: '',
      tramites: planos,
    };
    for (const p of planos) p.processo = processo;
    return processo;
  }
  throw new Error('could not fit a process in the demo window');
}

/**
 * The production tests of an agency being onboarded (docs/domain.md, step 6): a process sent to DISIS,
 * one received from DISIS, one refused by the agency as recipient; described "TESTE – <agency>".
 */
function planejarTestesProducao(orgaos: OrgaoNo[], rng: Rng, nowMs: number): ProcessoPlano[] {
  const mgi = orgaos.find((o) => o.def.numero === NUM_MGI)!;
  const go = orgaos.find((o) => o.def.numero === NUM_GO)!;
  const disis = [...mgi.envio, ...mgi.recebimento].find((x) => x.def.sigla === 'DISIS')!;
  const protocoloGo = go.centralizadora;
  const testes: { origem: OrgaoNo; rem: UnidadeNo; des: UnidadeNo; fim: Situacao; diasAtras: number }[] = [
    { origem: go, rem: protocoloGo, des: disis, fim: 6, diasAtras: 41 },
    { origem: mgi, rem: disis, des: protocoloGo, fim: 6, diasAtras: 40 },
    { origem: mgi, rem: disis, des: go.recebimento.find((x) => x.def.sigla === 'SUVISA')!, fim: 9, diasAtras: 39 },
  ];
  return testes.map((teste) => {
    const eventos = eventosDoCaminho(caminho(teste.fim, rng), teste.rem, teste.des, rng, {
      motivo: '99',
      justificativa: 'Recusa de teste – requisito mínimo de produção (recusa de recebimento pelo órgão destinatário).',
    });
    let t = nowMs - teste.diasAtras * DIA + rng.ms(0, 6 * HORA);
    const inicio = t;
    for (const e of eventos) {
      // Tests are watched by PEN technicians: every step happens within the working day.
      t += e.de === null ? 0 : rng.ms(30 * SEGUNDO, 90 * MINUTO);
      e.em = t;
    }
    const plano: TramitePlano = {
      processo: undefined as unknown as ProcessoPlano,
      remetente: teste.rem,
      destinatario: teste.des,
      eventos,
      idt: 0,
    };
    const processo: ProcessoPlano = {
      origem: teste.origem,
      tipo: 'PROCESSO',
      descricao: `TESTE – ${go.def.nome}`,
      inicio,
      nre: '',
      numero: '',
      tramites: [plano],
    };
    plano.processo = processo;
    return processo;
  });
}

function planejar(now: Date) {
  const rng = new Rng(SEED);
  const nowMs = now.getTime();
  const { orgaos, unidades } = montarEstruturas(rng);

  // Every status at least once, with "parados" among them; then a random mix.
  const pedidos: Pedido[] = [
    { fim: 1, parado: true },
    { fim: 2, parado: false },
    { fim: 3, parado: true },
    { fim: 4, parado: false },
    { fim: 5, parado: true },
    { fim: 6 },
    { fim: 7, cenario: 'simples' },
    { fim: 7, cenario: 'simples', cancelamentoPeloPen: true },
    { fim: 8, parado: true },
    { fim: 9, cenario: 'simples' },
    { fim: 10, cenario: 'simples' },
    { fim: 4, parado: true },
    { fim: 8, parado: false },
    { fim: 5, parado: false },
  ];
  const fins = [
    [6, 42],
    [9, 8],
    [7, 6],
    [10, 6],
    [1, 3],
    [2, 4],
    [3, 5],
    [4, 5],
    [5, 11],
    [8, 10],
  ] as const;
  while (pedidos.length < 128) pedidos.push({ fim: rng.weighted(fins) });

  const processos = [...pedidos.map((p) => planejarProcesso(orgaos, p, rng, nowMs)), ...planejarTestesProducao(orgaos, rng, nowMs)];

  // Identifiers in the order the platform would have issued them.
  processos.sort((a, b) => a.inicio - b.inicio);
  let nre = 3_871_204;
  const sequenciais = new Map<string, number>();
  for (const p of processos) {
    nre += rng.int(3, 250);
    p.nre = String(nre).padStart(16, '0');
    // A process usually predates its first trâmite (by up to ~7 months); a standalone document does not.
    const ano = new Date(p.inicio - (p.tipo === 'PROCESSO' ? rng.ms(0, 200 * DIA) : 0)).getUTCFullYear();
    const chave = `${p.origem.def.nup}/${ano}`;
    const seq = (sequenciais.get(chave) ?? rng.int(1_000, 60_000)) + rng.int(1, 400);
    sequenciais.set(chave, seq);
    p.numero = nup(p.origem.def.nup, seq, ano);
  }
  const todos = processos.flatMap((p) => p.tramites).sort((a, b) => a.eventos[0]!.em - b.eventos[0]!.em);
  let idt = 9_104_317;
  for (const t of todos) {
    idt += rng.int(40, 900);
    t.idt = idt;
  }
  return { orgaos, unidades, tramites: todos };
}

// ---------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------

const LOTE = 500;

function lotes<T>(itens: T[], tamanho = LOTE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < itens.length; i += tamanho) out.push(itens.slice(i, i + tamanho));
  return out;
}

const ATOR_DA_PLATAFORMA = { atorSujeito: PLATAFORMA, atorLado: 'PLATAFORMA', atorOrgaoId: null, atorPenAdmin: false } as const;

export interface OpcoesDaSemente {
  /** The key the gateway signs receipts with (its RECEIPT_SIGNING_KEY); default the demo's, `CHAVE_RECIBOS_DEMO`. */
  chaveDeRecibos?: ChaveDeAssinatura;
}

export async function seedDemoData(
  db: Database,
  now: Date,
  opcoes: OpcoesDaSemente = {},
): Promise<{ seeded: boolean; orgaos: number; unidades: number; tramites: number; eventos: number }> {
  return db.transaction(async (tx) => {
    // Two gateway instances starting together on one PostgreSQL: the second waits, then sees the data.
    await tx.execute(sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.demoSeed})`);
    // The repositórios are migration data: the demo seeds a database that has no structures yet (homologação's test
    // counterparts, which a gateway creates on first use, do not count).
    const existente = await tx
      .select({ id: estruturas.id })
      .from(estruturas)
      .where(ne(estruturas.repositorioId, REPOSITORIO_CONTRAPARTES.id))
      .limit(1);
    if (existente.length > 0) return { seeded: false, orgaos: 0, unidades: 0, tramites: 0, eventos: 0 };

    const nowMs = now.getTime();
    const plano = planejar(now);

    // Estruturas level by level, so each level knows its parents' ids.
    const ids = new Map<UnidadeNo, number>();
    const chave = (repositorio: number, numero: number) => `${repositorio}:${numero}`;
    const criadaEm = new Map<OrgaoNo, Date>(plano.orgaos.map((o) => [o, new Date(nowMs - o.def.cadastradoHaDias * DIA)]));
    const nivelMax = Math.max(...plano.unidades.map((x) => x.nivel));
    for (let nivel = 0; nivel <= nivelMax; nivel++) {
      const doNivel = plano.unidades.filter((x) => x.nivel === nivel);
      const inseridas = await tx
        .insert(estruturas)
        .values(
          doNivel.map((x) => ({
            repositorioId: x.orgao.def.repositorio,
            numeroIdentificacao: x.numero,
            sigla: x.def.sigla,
            nome: x.def.nome,
            paiId: x.pai ? ids.get(x.pai)! : null,
            orgaoId: x.pai ? ids.get(raizDe(x))! : null,
            // Units are registered in the days after the agency itself.
            criadaEm: new Date(criadaEm.get(x.orgao)!.getTime() + nivel * DIA + ((x.numero * 7 * MINUTO) % (6 * HORA))),
          })),
        )
        .returning({ id: estruturas.id, repositorioId: estruturas.repositorioId, numero: estruturas.numeroIdentificacao });
      const porChave = new Map(inseridas.map((r) => [chave(r.repositorioId, r.numero), r.id]));
      for (const x of doNivel) ids.set(x, porChave.get(chave(x.orgao.def.repositorio, x.numero))!);
      if (nivel === 0) {
        // An agency's orgaoId is its own id.
        await tx
          .update(estruturas)
          .set({ orgaoId: sql`${estruturas.id}` })
          .where(
            inArray(
              estruturas.id,
              inseridas.map((r) => r.id),
            ),
          );
      }
    }
    const orgaoId = (o: OrgaoNo) => ids.get(plano.unidades.find((x) => x.orgao === o && x.pai === null)!)!;

    // Each unit's configuration, the same in both environments: the seed's agencies operate in both (onboarding.ts
    // gives the ones it walks a history that reached production). Units with nothing configured get no row.
    const configuradas = plano.unidades.filter((x) => x.envio || x.recebimento || x.def.central === true);
    for (const lote of lotes(configuradas.flatMap((x) => AMBIENTES.map((ambiente) => ({ x, ambiente }))))) {
      await tx.insert(configuracoesUnidade).values(
        lote.map(({ x, ambiente }) => ({
          estruturaId: ids.get(x)!,
          ambiente,
          habilitadaEnvio: x.envio,
          habilitadaRecebimento: x.recebimento,
          centralizadora: x.def.central === true,
        })),
      );
    }

    // Trâmites.
    const tramiteIds = new Map<number, number>();
    for (const lote of lotes(plano.tramites)) {
      const inseridos = await tx
        .insert(tramites)
        .values(
          lote.map((t) => {
            const primeiro = t.eventos[0]!;
            const ultimo = t.eventos.at(-1)!;
            return {
              idt: t.idt,
              // The seed's traffic is between agencies in production (onboarding.ts adds homologação's tests).
              ambiente: 'PRODUCAO' as const,
              nre: t.processo.nre,
              numeroProcesso: t.processo.numero,
              tipo: t.processo.tipo,
              descricao: t.processo.descricao,
              remetenteUnidadeId: ids.get(t.remetente)!,
              remetenteOrgaoId: orgaoId(t.remetente.orgao),
              destinatarioUnidadeId: ids.get(t.destinatario)!,
              destinatarioOrgaoId: orgaoId(t.destinatario.orgao),
              situacao: ultimo.para,
              versao: t.eventos.length,
              criadoEm: new Date(primeiro.em),
              atualizadoEm: new Date(ultimo.em),
              situacaoAlteradaEm: new Date(ultimo.em),
            };
          }),
        )
        .returning({ id: tramites.id, idt: tramites.idt });
      for (const r of inseridos) tramiteIds.set(r.idt, r.id);
    }

    const onboarding = await seedOnboardingDemo(tx, now); // every onboarding stage: src/demo/onboarding.ts

    // Every demo agency's SPE key, in both environments: the demo signs its recibos de conclusão with it.
    const chaveSpe = await validarChavePublica(CHAVE_PUBLICA_SPE_DEMO);
    const agencias = await tx
      .select({ id: estruturas.id })
      .from(estruturas)
      .where(and(isNull(estruturas.paiId), ne(estruturas.repositorioId, REPOSITORIO_CONTRAPARTES.id)));
    const chaves = agencias.flatMap((a) =>
      (['HOMOLOGACAO', 'PRODUCAO'] as const).map((ambiente) => ({
        orgaoId: a.id,
        ambiente,
        pem: chaveSpe.pem,
        chaveId: chaveSpe.chaveId,
        bits: chaveSpe.bits,
        registradaEm: now,
        registradaPor: 'demo',
      })),
    );
    for (const lote of lotes(chaves)) await tx.insert(chavesPublicasSpe).values(lote);
    // The SPEs and the agencies each serves.
    const raizes = await tx.select({ id: estruturas.id, sigla: estruturas.sigla }).from(estruturas).where(isNull(estruturas.paiId));
    const inseridos = await tx
      .insert(sistemas)
      .values(SISTEMAS.map(({ orgaos: _orgaos, ...s }) => ({ ...s, criadoEm: now })))
      .returning({ id: sistemas.id, codigo: sistemas.codigo });
    await tx.insert(sistemaOrgaos).values(
      SISTEMAS.flatMap((s) =>
        s.orgaos.map((sigla) => ({
          sistemaId: inseridos.find((i) => i.codigo === s.codigo)!.id,
          orgaoId: raizes.find((r) => r.sigla === sigla)!.id,
        })),
      ),
    );

    // Both plans' status events, in global time order.
    const eventos = plano.tramites
      .flatMap((t) => t.eventos.map((e, i) => ({ t, e, i })))
      .sort((a, b) => a.e.em - b.e.em || a.t.idt - b.t.idt || a.i - b.i)
      .map(({ t, e }) => ({
        tramiteId: tramiteIds.get(t.idt)!,
        deSituacao: e.de,
        paraSituacao: e.para,
        atorSujeito: e.sujeito,
        atorOrgaoId: e.orgao ? orgaoId(e.orgao) : null,
        atorLado: e.lado,
        atorPenAdmin: e.penAdmin,
        motivo: e.motivo,
        justificativa: e.justificativa,
        ocorridoEm: new Date(e.em),
      }));
    // A stable sort: at one instant the seed's events come before the onboarding plan's.
    const situacoes = [...eventos, ...onboarding.eventosTramite]
      .sort((a, b) => a.ocorridoEm.getTime() - b.ocorridoEm.getTime())
      // The platform moves a trâmite to 2 itself, when the last component is in (PASSOS `quemMuda`), for no side.
      .map((e) => (e.deSituacao === 1 && e.paraSituacao === 2 ? { ...e, ...ATOR_DA_PLATAFORMA } : e));

    // What every trâmite carries, consistent with its walk (carga.ts), and the events of its uploads and receipts.
    const porTramite = new Map<number, NovoEvento[]>();
    for (const e of situacoes) porTramite.set(e.tramiteId, [...(porTramite.get(e.tramiteId) ?? []), e]);
    const identidades = await tx
      .select({ id: tramites.id, idt: tramites.idt, nre: tramites.nre, tipo: tramites.tipo, descricao: tramites.descricao })
      .from(tramites);
    const daCarga = await semearCarga(
      tx,
      identidades.map((t) => ({ ...t, eventos: porTramite.get(t.id) ?? [] })).filter((t) => t.eventos.length > 0),
      { assinador: criarAssinadorDeRecibos(opcoes.chaveDeRecibos ?? CHAVE_RECIBOS_DEMO), chaveSpe, agora: now },
    );

    // Written once, in global time order, so `seq` follows time in an append-only log; at one instant a status change
    // comes before the receipt it issued.
    const outroTipo = (e: NovoEvento) => Number(e.tipo != null && e.tipo !== 'SITUACAO');
    const log = ([...situacoes, ...daCarga] as NovoEvento[]).sort(
      (a, b) => a.ocorridoEm.getTime() - b.ocorridoEm.getTime() || outroTipo(a) - outroTipo(b),
    );
    for (const lote of lotes(log)) await tx.insert(tramiteEventos).values(lote);

    return {
      seeded: true,
      orgaos: plano.orgaos.length + onboarding.orgaos,
      unidades: plano.unidades.length - plano.orgaos.length + onboarding.unidades,
      tramites: plano.tramites.length + onboarding.tramites,
      eventos: log.length,
    };
  });
}

function raizDe(x: UnidadeNo): UnidadeNo {
  let r = x;
  while (r.pai) r = r.pai;
  return r;
}
