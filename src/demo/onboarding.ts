/**
 * Onboarding demo data (docs/domain.md, "Onboarding"): agencies at every stage of the path to
 * production, each with a history that walks PASSOS_ONBOARDING exactly, a checklist that agrees with
 * it, and — for the trâmite tests — the real trâmites that met them.
 *
 * How it stays coherent. Each agency's story is a script of moves (who, when). A trâmite test uses the
 * seed's own trâmite when one qualifies (Goiás: its "TESTE – ..." trâmites with DISIS in produção);
 * otherwise a test trâmite is planned (agency ⇄ DISIS, described "TESTE ..."). Then ONE simulation
 * replays every move and every trâmite that reached 6 or 9, in time order, through the rules the
 * service applies (regras.ts: the step table, who moves, the gates; verificadorDeRequisitos: which
 * trâmite meets which test, the first one stays the evidence). What the simulation produced is what
 * gets written; a script that breaks a rule throws instead of writing incoherent data.
 *
 * The cast:
 * - EM_PRODUCAO: the federal agencies and courts of the seed that exchange real trâmites (implanted
 *   before the seed's 60-day window, so their test trâmites are older than it). MGI has no onboarding:
 *   it hosts the production test unit (DISIS) and runs the platform with the PEN team.
 * - ACESSO_PRODUCAO: Governo do Estado de Goiás, produção tests a/b/c met by its seeded trâmites with DISIS,
 *   configuration items partly done.
 * - The earlier stages and the two validations: agencies added here, without traffic of their own.
 *
 * Deterministic: the same `agora` gives the same data. Few statements (batched inserts).
 */
import type { Ambiente } from '../kernel/ambiente.js';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Transaction } from '../db/log.js';
import { ATOR_PLATAFORMA as PLATAFORMA } from '../kernel/platform.js';
import { gestoresProtocolo, onboardingEventos, onboardings, requisitosMinimos, requisitosOrgao } from '../onboarding/tables.js';
import {
  ACAO_ACESSO_PRODUCAO,
  AMBIENTE_DA_ETAPA,
  ETAPA_DOS_REQUISITOS,
  ETAPAS,
  ETAPAS_DA_CONFIGURACAO,
  PASSO_ONBOARDING,
  REQUISITO_SATISFEITO,
  descricaoDeTeste,
  proximaSituacaoRequisito,
  requisitoAtendidoPorTramite,
  type AcaoOnboarding,
  type Etapa,
  type TipoRequisitoTramite,
} from '../onboarding/regras.js';
import { configuracaoDaLinha } from '../orgaos/configuracoes.js';
import { configuracoesUnidade, estruturas } from '../orgaos/tables.js';
import type { NovoEvento } from '../tramites/eventos.js';
import { tramites } from '../tramites/tables.js';
import type { LadoAtor, MotivoRecusa, Situacao } from '../tramites/regras.js';
import { DEMO_UNIDADE_TESTES_PRODUCAO, type DemoAccount } from './contas.js';
import { DEMO_ORGAOS_ONBOARDING, ORGAOS, type UnidadeDef } from './dados.js';
import { nup } from './nup.js';
import { Rng } from './rng.js';
import { cpfValido } from '../onboarding/solicitacao.js';

const SEGUNDO = 1_000;
const MINUTO = 60 * SEGUNDO;
const HORA = 60 * MINUTO;
const DIA = 24 * HORA;
const PEN = 'pen.admin';
const SEED = 0x0b0a_2026;
/** How long after entering a requirements stage a seeded trâmite may still be the one that met a test. */
const HORIZONTE_TRAMITE_EXISTENTE = 40 * DIA;

/** The gestores of the agencies added here, as demo accounts (tokens: `npm run token`, tests). */
export const DEMO_CONTAS_ONBOARDING: DemoAccount[] = DEMO_ORGAOS_ONBOARDING.map((o) => ({
  sujeito: o.gestor,
  descricao: o.conta,
  papeis: ['GESTOR_PROTOCOLO'],
  orgao: { repositorio: o.repositorio, estrutura: o.numero },
}));

/** The people and systems of the seed's agencies (dados.ts), by the root's sigla: the first gestor acts. */
const AGENCIAS_DO_SEED: Record<string, { gestor: string; spe: string; nup: string }> = Object.fromEntries(
  ORGAOS.map((o) => [o.sigla, { gestor: o.gestores[0]!, spe: o.spe, nup: o.nup }]),
);

/** The seed agencies' gestores de protocolo (every one acts in trâmites), by the root's sigla; the first asked for access. */
const GESTORES_DO_SEED: Record<string, string[]> = Object.fromEntries(ORGAOS.map((o) => [o.sigla, o.gestores]));

const SOBRENOMES = ['Almeida', 'Barbosa', 'Cardoso', 'Duarte', 'Esteves', 'Ferreira', 'Gomes', 'Holanda', 'Lima', 'Moreira', 'Nogueira'];

/** A CPF with its check digits over nine base digits (the rule of cpfValido). */
function cpfDeDemo(base: number): string {
  const d = String(base).padStart(9, '0').split('').map(Number);
  for (const n of [9, 10]) {
    const soma = d.slice(0, n).reduce((acc, x, i) => acc + x * (n + 1 - i), 0);
    const resto = soma % 11;
    d.push(resto < 2 ? 0 : 11 - resto);
  }
  const cpf = d.join('');
  if (!cpfValido(cpf)) throw new Error(`onboarding demo: CPF ${cpf} is not valid`);
  return cpf;
}

/** The person behind a demo gestor's account ("gestor.ana@mgi"): a name, a CPF, an e-mail at the agency's domain. */
function pessoaDoGestor(sujeito: string, spe: string, n: number): { nome: string; cpf: string; email: string } {
  const primeiro = sujeito.replace(/^gestora?\./, '').replace(/@.*$/, '');
  const sobrenome = SOBRENOMES[n % SOBRENOMES.length]!;
  const dominio = spe.replace(/^spe:[^.]+\./, '');
  return {
    nome: `${primeiro[0]!.toUpperCase()}${primeiro.slice(1)} ${sobrenome}`,
    cpf: cpfDeDemo(314_159_000 + n * 1_013),
    email: `${primeiro}.${sobrenome.toLowerCase()}@${dominio}`,
  };
}

/** Seed agencies implanted before the seed's window, with some variety in their histories. */
const IMPLANTADAS: Record<string, { reprovacaoHomologacao?: string; reprovacaoProducao?: string; recusaRequisito?: string }> = {
  MS: {},
  INSS: { reprovacaoHomologacao: 'O módulo de conexão instalado é de uma versão sem suporte; atualize-o e solicite a validação de novo.' },
  MEC: {},
  MF: { recusaRequisito: 'A evidência não mostra os tipos de documento "Parecer" e "Nota Técnica" mapeados.' },
  IBAMA: {},
  ANVISA: {
    reprovacaoProducao: 'O teste de recusa em produção não foi acompanhado pela equipe do PEN: avise por e-mail institucional e refaça.',
  },
  INCRA: {},
  TRF1: {},
  TCU: {},
};

/** What the agency writes as evidence of a configuration item (fallback: the item itself). */
const NOTAS: Record<string, string> = {
  d: 'Gestor(a) incluído(a) no grupo "Em Implantação" da comunidade Tramita.GOV.BR; print da confirmação enviado por e-mail.',
  e: 'Hipóteses legais do SEI mapeadas para as do Tramita.GOV.BR (planilha de mapeamento enviada ao PEN).',
  f: 'Unidades administrativas cadastradas no portal de administração do Tramita.GOV.BR.',
  g: 'Unidades do portal mapeadas para as unidades do SEI (relatório do módulo de conexão).',
  h: 'Tipos de documento do SEI mapeados para envio.',
  i: 'Tipos de documento do Tramita.GOV.BR mapeados para recebimento.',
};

// ---------------------------------------------------------------------------------------------------
// Planning (pure): agencies and units by key, moves, test trâmites
// ---------------------------------------------------------------------------------------------------

/** A unit: `e:<id>` (already in the database) or `n:<agency>/<unit>` (added here). */
type ChaveUnidade = string;
/** A trâmite: `e:<id>` (the seed's) or `p:<n>` (planned here). */
type ChaveTramite = string;

interface Agencia {
  sigla: string;
  nome: string;
  /** The first gestor de protocolo (the one who asked for access). */
  gestor: string;
  /** Every gestor de protocolo of the agency, the first one first. */
  gestores: string[];
  spe: string;
  nup: string;
  /** null for the agencies added here (inserted later). */
  id: number | null;
  protocolo: ChaveUnidade;
  envio: boolean;
  recebimento: boolean;
  /** When the agency was registered (its request); for the agencies added here, set by the script. */
  registradoEm: number;
  /** When its units were registered: the seed's agencies, the last one; the ones added here, with the approval. */
  unidadesEm: number;
}

interface TramiteConcluido {
  chave: ChaveTramite;
  ambiente: Ambiente;
  situacao: 6 | 9;
  em: number;
  descricao: string | null;
  remetente: { orgao: string; unidade: ChaveUnidade };
  destinatario: { orgao: string; unidade: ChaveUnidade };
}

interface EventoTramitePlano {
  de: Situacao | null;
  para: Situacao;
  lado: LadoAtor;
  sujeito: string;
  orgao: string;
  motivo: MotivoRecusa | null;
  justificativa: string | null;
  em: number;
}

interface TramitePlano extends TramiteConcluido {
  inicio: number;
  eventos: EventoTramitePlano[];
  /** The agency whose NUP numbers the process (the one that sends first). */
  origemNup: string;
}

type Acao =
  | { tipo: 'PASSO'; em: number; orgao: string; acao: AcaoOnboarding; ator: string; motivo: string | null }
  /** The first gestor registers another gestor de protocolo in homologação. */
  | { tipo: 'GESTOR'; em: number; orgao: string; gestor: string; ator: string }
  | {
      tipo: 'REQUISITO';
      em: number;
      orgao: string;
      acao: 'REGISTRAR' | 'CONFIRMAR' | 'RECUSAR';
      ambiente: Ambiente;
      codigo: string;
      ator: string;
      nota: string | null;
    }
  | { tipo: 'TRAMITE'; em: number; tramite: TramiteConcluido };

interface RequisitoCatalogo {
  codigo: string;
  ordem: number;
  descricao: string;
  tipo: TipoRequisitoTramite | 'CONFIGURACAO';
  exigido: boolean;
}

interface Planejamento {
  rng: Rng;
  agora: number;
  catalogo: RequisitoCatalogo[];
  agencias: Map<string, Agencia>;
  disis: { orgao: string; unidade: ChaveUnidade; spe: string };
  existentes: TramiteConcluido[];
  acoes: Acao[];
  planejados: TramitePlano[];
}

const RECUSA_TESTE: Record<Ambiente, string> = {
  HOMOLOGACAO: 'Recusa de teste – requisito mínimo de homologação (recusa de recebimento pelo órgão destinatário).',
  PRODUCAO: 'Recusa de teste – requisito mínimo de produção (recusa de recebimento pelo órgão destinatário).',
};

function descricaoTeste(ambiente: Ambiente, nome: string): string {
  const texto = ambiente === 'PRODUCAO' ? `TESTE – ${nome}` : `TESTE de homologação – ${nome}`;
  return texto.length > 100 ? `${texto.slice(0, 99)}…` : texto;
}

/** Whether a finished trâmite meets a trâmite test of `orgao` in `ambiente` (verificadorDeRequisitos). */
function atende(p: Planejamento, t: TramiteConcluido, orgao: string, ambiente: Ambiente): TipoRequisitoTramite[] {
  const tipos: TipoRequisitoTramite[] = [];
  for (const [lado, proprio, contraparte] of [
    ['REMETENTE', t.remetente, t.destinatario],
    ['DESTINATARIO', t.destinatario, t.remetente],
  ] as const) {
    if (proprio.orgao !== orgao || t.ambiente !== ambiente) continue;
    const tipo = requisitoAtendidoPorTramite(t.situacao, lado);
    if (!tipo) continue;
    if (ambiente === 'PRODUCAO' && (contraparte.unidade !== p.disis.unidade || !descricaoDeTeste(t.descricao))) continue;
    tipos.push(tipo);
  }
  return tipos;
}

/** One agency's story: moves at increasing times. */
class Roteiro {
  /** When the agency entered each environment's requirements stage. */
  private readonly inicioRequisitos = new Map<Ambiente, number>();

  constructor(
    private readonly p: Planejamento,
    readonly ag: Agencia,
    public t: number,
  ) {}

  depois(min: number, max: number): this {
    this.t += this.p.rng.ms(min, max);
    return this;
  }

  /** Not before `instante` (plus a gap). */
  apos(instante: number, min: number, max: number): this {
    this.t = Math.max(this.t, instante) + this.p.rng.ms(min, max);
    return this;
  }

  passo(acao: AcaoOnboarding, motivo: string | null = null): this {
    const passo = PASSO_ONBOARDING[acao];
    if (this.ag.id === null) {
      // The agencies added here: registered with their first request, units registered after the approval.
      if (acao === 'SOLICITAR_ACESSO' && !this.ag.registradoEm) this.ag.registradoEm = this.t;
      if (acao === 'APROVAR_CADASTRO') this.ag.unidadesEm = this.t + HORA;
    }
    // The other gestores are registered by the first one soon after the approval (before any later move).
    if (acao === 'APROVAR_CADASTRO') {
      for (const [i, gestor] of this.ag.gestores.slice(1).entries()) {
        this.p.acoes.push({ tipo: 'GESTOR', em: this.t + 20 * MINUTO + i * MINUTO, orgao: this.ag.sigla, gestor, ator: this.ag.gestor });
      }
    }
    this.p.acoes.push({
      tipo: 'PASSO',
      em: this.t,
      orgao: this.ag.sigla,
      acao,
      ator: passo.responsavel === 'PEN' ? PEN : this.ag.gestor,
      motivo,
    });
    const ambiente = (Object.keys(ETAPA_DOS_REQUISITOS) as Ambiente[]).find((a) => ETAPA_DOS_REQUISITOS[a] === passo.para);
    if (ambiente && !this.inicioRequisitos.has(ambiente)) this.inicioRequisitos.set(ambiente, this.t);
    return this;
  }

  requisito(acao: 'REGISTRAR' | 'CONFIRMAR' | 'RECUSAR', ambiente: Ambiente, codigo: string, texto: string | null = null): this {
    const nota =
      acao === 'REGISTRAR'
        ? `${ambiente === 'PRODUCAO' ? 'Em produção: ' : ''}${NOTAS[codigo] ?? `Feito: ${this.p.catalogo.find((r) => r.codigo === codigo)?.descricao}.`}`
        : texto;
    this.p.acoes.push({
      tipo: 'REQUISITO',
      em: this.t,
      orgao: this.ag.sigla,
      acao,
      ambiente,
      codigo,
      ator: acao === 'REGISTRAR' ? this.ag.gestor : PEN,
      nota,
    });
    return this;
  }

  /**
   * A trâmite test: the seed's first trâmite that meets it (since the agency entered the stage), if
   * there is one; else a test trâmite with the test unit, planned to start now. `t` moves to its end.
   */
  testar(ambiente: Ambiente, tipo: TipoRequisitoTramite): this {
    const desde = this.inicioRequisitos.get(ambiente);
    if (desde === undefined) throw new Error(`${this.ag.sigla}: test ${tipo} before entering ${ETAPA_DOS_REQUISITOS[ambiente]}`);
    const existente = this.p.existentes
      .filter(
        (t) => t.em > desde && t.em <= desde + HORIZONTE_TRAMITE_EXISTENTE && atende(this.p, t, this.ag.sigla, ambiente).includes(tipo),
      )
      .sort((a, b) => a.em - b.em)[0];
    if (existente) {
      this.t = Math.max(this.t, existente.em);
      return this;
    }
    const envia = tipo === 'TRAMITE_ENVIADO_COM_SUCESSO';
    const fim: 6 | 9 = tipo === 'RECUSA_COMO_DESTINATARIO' ? 9 : 6;
    const proprio = { orgao: this.ag.sigla, unidade: this.ag.protocolo, spe: this.ag.spe };
    const [rem, des] = envia ? [proprio, this.p.disis] : [this.p.disis, proprio];
    const caminho: Situacao[] = fim === 6 ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 8, 9];
    const ladoDe: Record<number, LadoAtor> = {
      1: 'REMETENTE',
      2: 'REMETENTE',
      3: 'DESTINATARIO',
      4: 'DESTINATARIO',
      5: 'DESTINATARIO',
      6: 'REMETENTE',
      8: 'DESTINATARIO',
      9: 'REMETENTE',
    };
    let em = this.t;
    const eventos: EventoTramitePlano[] = caminho.map((para, i) => {
      // Tests are watched by PEN technicians: every step within the working day.
      if (i > 0) em += this.p.rng.ms(30 * SEGUNDO, 90 * MINUTO);
      const lado = ladoDe[para]!;
      const lador = lado === 'REMETENTE' ? rem : des;
      const recusa = para === 8;
      return {
        de: i === 0 ? null : caminho[i - 1]!,
        para,
        lado,
        // Every step, the refusal included, is the agency's SPE's (docs/domain.md §5).
        sujeito: lador.spe,
        orgao: lador.orgao,
        motivo: recusa ? '99' : null,
        justificativa: recusa ? RECUSA_TESTE[ambiente] : null,
        em,
      };
    });
    const plano: TramitePlano = {
      chave: `p:${this.p.planejados.length}`,
      ambiente,
      situacao: fim,
      em,
      inicio: this.t,
      descricao: descricaoTeste(ambiente, this.ag.nome),
      remetente: { orgao: rem.orgao, unidade: rem.unidade },
      destinatario: { orgao: des.orgao, unidade: des.unidade },
      eventos,
      origemNup: this.p.agencias.get(rem.orgao)!.nup,
    };
    this.p.planejados.push(plano);
    this.t = em;
    return this;
  }

  /**
   * An environment's minimum requirements: configuration items registered (with evidence), the
   * trâmite tests, then PEN's confirmations. By default every item registered, every trâmite test, and
   * the required items confirmed; `confirmar` / `soRegistrar` / `testes` choose others. `recusar`: PEN sends one item back first, the agency redoes it.
   */
  cumprirRequisitos(
    ambiente: Ambiente,
    opcoes: {
      confirmar?: string[];
      soRegistrar?: string[];
      testes?: TipoRequisitoTramite[];
      recusar?: { codigo: string; motivo: string };
    } = {},
  ): this {
    // The agency records every item it did; PEN confirms by default only the required ones (none in
    // today's list: d–i are kept, still needed to operate, but not required).
    const config = this.p.catalogo.filter((r) => r.tipo === 'CONFIGURACAO');
    const confirmar = opcoes.confirmar ?? config.filter((r) => r.exigido).map((r) => r.codigo);
    const registrar = [...new Set([...(opcoes.confirmar ?? config.map((r) => r.codigo)), ...(opcoes.soRegistrar ?? [])])];
    const testes =
      opcoes.testes ??
      this.p.catalogo.filter((r): r is RequisitoCatalogo & { tipo: TipoRequisitoTramite } => r.tipo !== 'CONFIGURACAO').map((r) => r.tipo);
    for (const codigo of registrar) this.depois(2 * HORA, DIA).requisito('REGISTRAR', ambiente, codigo);
    for (const tipo of testes) this.depois(6 * HORA, 2 * DIA).testar(ambiente, tipo);
    if (opcoes.recusar) {
      this.depois(HORA, 10 * HORA).requisito('RECUSAR', ambiente, opcoes.recusar.codigo, opcoes.recusar.motivo);
      this.depois(DIA, 3 * DIA).requisito('REGISTRAR', ambiente, opcoes.recusar.codigo);
    }
    for (const codigo of confirmar) this.depois(HORA, 10 * HORA).requisito('CONFIRMAR', ambiente, codigo);
    return this;
  }

  /** Request, approval and structure: up to IMPLANTACAO_HOMOLOGACAO. */
  ateImplantacao(): this {
    this.passo('SOLICITAR_ACESSO')
      .depois(4 * HORA, 20 * HORA)
      .passo('APROVAR_CADASTRO');
    // After the last unit (those added here: at most ~2 h after unidadesEm).
    return this.apos(this.ag.unidadesEm + 2 * HORA, 6 * HORA, 2 * DIA).passo('CONCLUIR_CONFIGURACAO');
  }
}

function planejarRoteiros(p: Planejamento): void {
  const agencia = (sigla: string) => p.agencias.get(sigla);
  const configs = p.catalogo.filter((r) => r.tipo === 'CONFIGURACAO').map((r) => r.codigo);

  // The seed's agencies implanted long ago.
  for (const [sigla, variacao] of Object.entries(IMPLANTADAS)) {
    const ag = agencia(sigla);
    if (!ag) continue;
    const r = new Roteiro(p, ag, ag.registradoEm).ateImplantacao();
    r.depois(HORA, DIA).cumprirRequisitos(
      'HOMOLOGACAO',
      variacao.recusaRequisito ? { recusar: { codigo: configs.at(-1)!, motivo: variacao.recusaRequisito } } : {},
    );
    r.depois(4 * HORA, 2 * DIA)
      .passo('SOLICITAR_VALIDACAO_HOMOLOGACAO')
      .depois(DIA, 4 * DIA);
    if (variacao.reprovacaoHomologacao) {
      r.passo('REPROVAR_HOMOLOGACAO', variacao.reprovacaoHomologacao)
        .depois(2 * DIA, 6 * DIA)
        .passo('SOLICITAR_VALIDACAO_HOMOLOGACAO')
        .depois(DIA, 3 * DIA);
    }
    r.passo('VALIDAR_HOMOLOGACAO')
      .depois(2 * DIA, 6 * DIA)
      .cumprirRequisitos('PRODUCAO');
    r.depois(4 * HORA, 2 * DIA)
      .passo('SOLICITAR_VALIDACAO_PRODUCAO')
      .depois(DIA, 3 * DIA);
    if (variacao.reprovacaoProducao) {
      r.passo('REPROVAR_PRODUCAO', variacao.reprovacaoProducao)
        .depois(DIA, 4 * DIA)
        .passo('SOLICITAR_VALIDACAO_PRODUCAO')
        .depois(DIA, 3 * DIA);
    }
    r.passo('VALIDAR_PRODUCAO');
  }

  // Goiás: homologação validated (with whatever seeded trâmite met a test first), produção tests met by
  // its seeded "TESTE – ..." trâmites with DISIS, configuration items in produção partly done.
  const go = agencia('GOV-GO');
  if (go) {
    const r = new Roteiro(p, go, go.registradoEm).ateImplantacao();
    r.depois(HORA, DIA).cumprirRequisitos('HOMOLOGACAO');
    r.depois(4 * HORA, 2 * DIA)
      .passo('SOLICITAR_VALIDACAO_HOMOLOGACAO')
      // Validated about seven weeks ago, so its seeded production tests (about 40 days ago) fall in the stage.
      .apos(p.agora - 50 * DIA, DIA, 3 * DIA)
      .passo('VALIDAR_HOMOLOGACAO');
    r.depois(2 * DIA, 5 * DIA).cumprirRequisitos('PRODUCAO', { confirmar: configs.slice(0, 2), soRegistrar: configs.slice(2, 3) });
  }

  const nova = (sigla: string, diasAtras: number) => new Roteiro(p, agencia(sigla)!, p.agora - diasAtras * DIA);

  // ANALISE_CADASTRO, after a first rejection.
  nova('GOV-PI', 16)
    .passo('SOLICITAR_ACESSO')
    .depois(DIA, 3 * DIA)
    .passo('REJEITAR_CADASTRO', 'A portaria de designação do gestor de protocolo não está assinada pela autoridade competente.')
    .depois(3 * DIA, 6 * DIA)
    .passo('SOLICITAR_ACESSO');
  // CADASTRO_REJEITADO.
  nova('TCE-GO', 20)
    .passo('SOLICITAR_ACESSO')
    .depois(DIA, 3 * DIA)
    .passo('REJEITAR_CADASTRO', 'Falta o Termo de Adesão assinado: obrigatório para órgãos fora da administração pública federal direta.');
  // CONFIGURACAO_ESTRUTURA.
  nova('GOV-AL', 9)
    .passo('SOLICITAR_ACESSO')
    .depois(4 * HORA, 20 * HORA)
    .passo('APROVAR_CADASTRO');
  // IMPLANTACAO_HOMOLOGACAO, blocked on specific requirements: only "sent" done among the trâmite tests,
  // one item sent back by PEN and registered again, the rest pending.
  nova('TRT18', 30)
    .ateImplantacao()
    .depois(HORA, DIA)
    .cumprirRequisitos('HOMOLOGACAO', {
      confirmar: [configs[0]!, configs[2]!],
      soRegistrar: [configs[1]!],
      testes: ['TRAMITE_ENVIADO_COM_SUCESSO'],
      recusar: { codigo: configs[1]!, motivo: 'O mapeamento das hipóteses legais não inclui a de sigilo fiscal (art. 198 do CTN).' },
    });
  // VALIDACAO_HOMOLOGACAO, after a first reprovação.
  nova('ICMBio', 40)
    .ateImplantacao()
    .depois(HORA, DIA)
    .cumprirRequisitos('HOMOLOGACAO')
    .depois(4 * HORA, 2 * DIA)
    .passo('SOLICITAR_VALIDACAO_HOMOLOGACAO')
    .depois(DIA, 2 * DIA)
    .passo('REPROVAR_HOMOLOGACAO', 'O certificado digital de homologação vence em 5 dias: renove-o e solicite a validação de novo.')
    .depois(DIA, 3 * DIA)
    .passo('SOLICITAR_VALIDACAO_HOMOLOGACAO');
  // VALIDACAO_PRODUCAO, after a first reprovação in produção.
  nova('IPHAN', 58)
    .ateImplantacao()
    .depois(HORA, DIA)
    .cumprirRequisitos('HOMOLOGACAO')
    .depois(4 * HORA, 2 * DIA)
    .passo('SOLICITAR_VALIDACAO_HOMOLOGACAO')
    .depois(DIA, 3 * DIA)
    .passo('VALIDAR_HOMOLOGACAO')
    .depois(DIA, 3 * DIA)
    .cumprirRequisitos('PRODUCAO')
    .depois(4 * HORA, DIA)
    .passo('SOLICITAR_VALIDACAO_PRODUCAO')
    .depois(DIA, 2 * DIA)
    .passo(
      'REPROVAR_PRODUCAO',
      'Os testes em produção não foram comunicados à equipe do PEN por e-mail institucional; comunique e solicite de novo.',
    )
    .depois(DIA, 3 * DIA)
    .passo('SOLICITAR_VALIDACAO_PRODUCAO');
}

// ---------------------------------------------------------------------------------------------------
// The simulation: every move and every finished trâmite, in time order, through the service's rules
// ---------------------------------------------------------------------------------------------------

interface EventoOnboardingPlano {
  orgao: string;
  tipo: 'ETAPA' | 'REQUISITO' | 'GESTOR_REGISTRADO';
  /** GESTOR_REGISTRADO: whose account. */
  gestor?: string;
  deEtapa: Etapa | null;
  paraEtapa: Etapa;
  ambiente: Ambiente;
  requisito: string | null;
  situacaoRequisito: string | null;
  evidencia: ChaveTramite | null;
  ator: string;
  motivo: string | null;
  em: number;
}

interface RequisitoPlano {
  orgao: string;
  ambiente: Ambiente;
  codigo: string;
  situacao: (typeof REQUISITO_SATISFEITO)[number] | 'REGISTRADO';
  evidencia: ChaveTramite | null;
  nota: string | null;
  registradoPor: string;
  registradoEm: number;
  confirmadoPor: string | null;
  confirmadoEm: number | null;
}

/** A gestor de protocolo of an agency in one environment (configuracao.ts: from the approval, registered, replicated). */
interface GestorPlano {
  orgao: string;
  ambiente: Ambiente;
  sujeito: string;
  registradoPor: string;
  registradoEm: number;
}

interface OnboardingPlano {
  orgao: string;
  etapa: Etapa;
  versao: number;
  iniciadoEm: number;
  atualizadoEm: number;
  implantadoEm: number | null;
  producaoConfirmadaEm: number | null;
}

function simular(p: Planejamento) {
  const estado = new Map<string, OnboardingPlano>();
  const requisitos = new Map<string, RequisitoPlano>();
  const eventos: EventoOnboardingPlano[] = [];
  const gestores: GestorPlano[] = [];
  const chave = (orgao: string, ambiente: Ambiente, codigo: string) => `${orgao}|${ambiente}|${codigo}`;
  const falha = (orgao: string, em: number, o: string) => new Error(`onboarding demo, ${orgao} at ${new Date(em).toISOString()}: ${o}`);

  const pendencias = (orgao: string, ambiente: Ambiente) =>
    p.catalogo.filter(
      (r) =>
        r.exigido &&
        !(REQUISITO_SATISFEITO as readonly string[]).includes(requisitos.get(chave(orgao, ambiente, r.codigo))?.situacao ?? ''),
    );

  const anotar = (e: Omit<EventoOnboardingPlano, 'deEtapa' | 'paraEtapa'> & { deEtapa?: Etapa | null; paraEtapa?: Etapa }) => {
    const atual = estado.get(e.orgao)!;
    eventos.push({ ...e, deEtapa: e.deEtapa === undefined ? atual.etapa : e.deEtapa, paraEtapa: e.paraEtapa ?? atual.etapa });
    atual.versao += 1;
    atual.atualizadoEm = e.em;
  };

  // Stable sort: moves at the same instant keep their script order.
  const acoes = [...p.acoes, ...[...p.existentes, ...p.planejados].map((t): Acao => ({ tipo: 'TRAMITE', em: t.em, tramite: t }))].sort(
    (a, b) => a.em - b.em,
  );
  for (const acao of acoes) {
    if (acao.em >= p.agora) throw new Error(`onboarding demo: a move at ${new Date(acao.em).toISOString()} is not in the past`);
    if (acao.tipo === 'PASSO') {
      const passo = PASSO_ONBOARDING[acao.acao];
      const atual = estado.get(acao.orgao);
      const de = atual?.etapa ?? null;
      if (!passo.de.includes(de)) throw falha(acao.orgao, acao.em, `${acao.acao} from ${de}`);
      if (passo.exigeMotivo && !acao.motivo) throw falha(acao.orgao, acao.em, `${acao.acao} without a reason`);
      for (const condicao of passo.condicoes) {
        const ag = p.agencias.get(acao.orgao)!;
        if (condicao === 'UNIDADES_DEFINIDAS' && (!ag.envio || !ag.recebimento)) throw falha(acao.orgao, acao.em, 'units not enabled');
        // The demo's agencies confirm their replicated produção configuration when they first ask for its validation.
        if (condicao === 'CONFIGURACAO_PRODUCAO_CONFIRMADA') {
          const o = estado.get(acao.orgao)!;
          o.producaoConfirmadaEm ??= acao.em;
        } else if (condicao !== 'UNIDADES_DEFINIDAS') {
          const faltam = pendencias(acao.orgao, condicao === 'REQUISITOS_HOMOLOGACAO' ? 'HOMOLOGACAO' : 'PRODUCAO');
          if (faltam.length > 0) throw falha(acao.orgao, acao.em, `${acao.acao} with ${faltam.map((r) => r.codigo).join(', ')} pending`);
        }
      }
      if (!atual)
        estado.set(acao.orgao, {
          orgao: acao.orgao,
          etapa: passo.para,
          versao: 0,
          iniciadoEm: acao.em,
          atualizadoEm: acao.em,
          implantadoEm: null,
          producaoConfirmadaEm: null,
        });
      anotar({
        orgao: acao.orgao,
        tipo: 'ETAPA',
        deEtapa: de,
        paraEtapa: passo.para,
        ambiente: AMBIENTE_DA_ETAPA[passo.para],
        requisito: null,
        situacaoRequisito: null,
        evidencia: null,
        ator: acao.ator,
        motivo: acao.motivo,
        em: acao.em,
      });
      const novo = estado.get(acao.orgao)!;
      novo.etapa = passo.para;
      if (passo.para === 'EM_PRODUCAO') novo.implantadoEm = acao.em;
      // As the service does: the approval registers the request's gestor in homologação; production access copies
      // homologação's gestores into produção (registered by who granted it).
      const ag = p.agencias.get(acao.orgao)!;
      if (acao.acao === 'APROVAR_CADASTRO') {
        gestores.push({ orgao: acao.orgao, ambiente: 'HOMOLOGACAO', sujeito: ag.gestor, registradoPor: ag.gestor, registradoEm: acao.em });
      }
      if (acao.acao === ACAO_ACESSO_PRODUCAO) {
        for (const g of gestores.filter((x) => x.orgao === acao.orgao && x.ambiente === 'HOMOLOGACAO')) {
          gestores.push({ ...g, ambiente: 'PRODUCAO', registradoPor: acao.ator, registradoEm: acao.em });
        }
      }
    } else if (acao.tipo === 'GESTOR') {
      const atual = estado.get(acao.orgao);
      if (!atual || !ETAPAS_DA_CONFIGURACAO.HOMOLOGACAO.includes(atual.etapa))
        throw falha(acao.orgao, acao.em, `gestor in ${atual?.etapa}`);
      gestores.push({ orgao: acao.orgao, ambiente: 'HOMOLOGACAO', sujeito: acao.gestor, registradoPor: acao.ator, registradoEm: acao.em });
      anotar({
        orgao: acao.orgao,
        tipo: 'GESTOR_REGISTRADO',
        gestor: acao.gestor,
        ambiente: 'HOMOLOGACAO',
        requisito: null,
        situacaoRequisito: null,
        evidencia: null,
        ator: acao.ator,
        motivo: null,
        em: acao.em,
      });
    } else if (acao.tipo === 'REQUISITO') {
      const atual = estado.get(acao.orgao);
      if (!atual || atual.etapa !== ETAPA_DOS_REQUISITOS[acao.ambiente])
        throw falha(acao.orgao, acao.em, `${acao.acao} ${acao.codigo} in ${atual?.etapa}`);
      if (p.catalogo.find((r) => r.codigo === acao.codigo)?.tipo !== 'CONFIGURACAO')
        throw falha(acao.orgao, acao.em, `${acao.codigo} is not a configuration item`);
      const k = chave(acao.orgao, acao.ambiente, acao.codigo);
      const registro = requisitos.get(k);
      // The service's own rule decides (regras.ts): the planner never allows what the API refuses.
      const proxima = proximaSituacaoRequisito(`${acao.acao}_REQUISITO`, registro?.situacao ?? null);
      if ('recusa' in proxima) throw falha(acao.orgao, acao.em, `${acao.acao} ${acao.codigo}: ${proxima.recusa}`);
      const { situacao } = proxima;
      if (situacao === 'REGISTRADO') {
        requisitos.set(k, {
          orgao: acao.orgao,
          ambiente: acao.ambiente,
          codigo: acao.codigo,
          situacao: 'REGISTRADO',
          evidencia: null,
          nota: acao.nota,
          registradoPor: acao.ator,
          registradoEm: acao.em,
          confirmadoPor: null,
          confirmadoEm: null,
        });
      } else if (situacao === 'CONFIRMADO') {
        Object.assign(registro!, { situacao: 'CONFIRMADO', confirmadoPor: acao.ator, confirmadoEm: acao.em });
      } else {
        requisitos.delete(k);
      }
      anotar({
        orgao: acao.orgao,
        tipo: 'REQUISITO',
        ambiente: acao.ambiente,
        requisito: acao.codigo,
        situacaoRequisito: situacao,
        evidencia: null,
        ator: acao.ator,
        motivo: acao.acao === 'REGISTRAR' ? null : acao.nota,
        em: acao.em,
      });
    } else {
      const t = acao.tramite;
      for (const orgao of new Set([t.remetente.orgao, t.destinatario.orgao])) {
        const atual = estado.get(orgao);
        if (!atual) continue;
        const ambiente = (Object.keys(ETAPA_DOS_REQUISITOS) as Ambiente[]).find((a) => ETAPA_DOS_REQUISITOS[a] === atual.etapa);
        if (!ambiente) continue;
        for (const tipo of atende(p, t, orgao, ambiente)) {
          const requisito = p.catalogo.find((r) => r.tipo === tipo);
          if (!requisito || requisitos.has(chave(orgao, ambiente, requisito.codigo))) continue;
          requisitos.set(chave(orgao, ambiente, requisito.codigo), {
            orgao,
            ambiente,
            codigo: requisito.codigo,
            situacao: 'ATENDIDO_AUTOMATICAMENTE',
            evidencia: t.chave,
            nota: null,
            registradoPor: PLATAFORMA,
            registradoEm: t.em,
            confirmadoPor: null,
            confirmadoEm: null,
          });
          anotar({
            orgao,
            tipo: 'REQUISITO',
            ambiente,
            requisito: requisito.codigo,
            situacaoRequisito: 'ATENDIDO_AUTOMATICAMENTE',
            evidencia: t.chave,
            ator: PLATAFORMA,
            motivo: null,
            em: t.em,
          });
        }
      }
    }
  }
  // Every planned test trâmite is the evidence of the test it was planned for (none is stray).
  const usados = new Set([...requisitos.values()].map((r) => r.evidencia));
  const solto = p.planejados.find((t) => !usados.has(t.chave));
  if (solto) throw new Error(`onboarding demo: planned test trâmite "${solto.descricao}" met no requirement`);
  // Agencies with no onboarding predate it (MGI, the test unit's): their gestores are in both environments.
  for (const ag of p.agencias.values()) {
    if (estado.has(ag.sigla)) continue;
    for (const ambiente of ['HOMOLOGACAO', 'PRODUCAO'] as const) {
      for (const sujeito of ag.gestores)
        gestores.push({ orgao: ag.sigla, ambiente, sujeito, registradoPor: PEN, registradoEm: ag.registradoEm });
    }
  }
  return { onboardings: [...estado.values()], requisitos: [...requisitos.values()], eventos, gestores };
}

// ---------------------------------------------------------------------------------------------------
// Identifiers of the planned trâmites, in the order the platform would have issued them
// ---------------------------------------------------------------------------------------------------

/**
 * IDT and NRE of each planned trâmite: just after those of the seed's trâmite created before it (the
 * seed's steps leave gaps), or below the seed's first ones for trâmites older than all of them.
 */
const IDT_DEMO_HOMOLOGACAO = 890_000_000_000;

function identificadores(
  planejados: TramitePlano[],
  existentes: Array<{ idt: number; nre: string; criadoEm: number }>,
): Map<string, { idt: number; nre: string; numero: string }> {
  const ordenados = [...existentes].sort((a, b) => a.criadoEm - b.criadoEm || a.idt - b.idt);
  const idts = new Set(existentes.map((e) => e.idt));
  const nres = new Set(existentes.map((e) => Number(e.nre)));
  const primeiro = ordenados[0] ?? { idt: 9_000_000, nre: '0000000003000000', criadoEm: Number.MAX_SAFE_INTEGER };
  const sequenciais = new Map<string, number>();
  const out = new Map<string, { idt: number; nre: string; numero: string }>();
  // Oldest first for the ones inside the seed's span; newest first (downwards) for the older ones.
  const antes = planejados.filter((t) => t.inicio < primeiro.criadoEm).sort((a, b) => b.inicio - a.inicio);
  const dentro = planejados.filter((t) => t.inicio >= primeiro.criadoEm).sort((a, b) => a.inicio - b.inicio);
  let idtAbaixo = primeiro.idt;
  let nreAbaixo = Number(primeiro.nre);
  for (const t of antes) {
    idtAbaixo = Math.min(idtAbaixo - 1, primeiro.idt - Math.ceil((primeiro.criadoEm - t.inicio) / DIA) * 170);
    nreAbaixo = Math.min(nreAbaixo - 1, Number(primeiro.nre) - Math.ceil((primeiro.criadoEm - t.inicio) / DIA) * 45);
    idts.add(idtAbaixo);
    nres.add(nreAbaixo);
    out.set(t.chave, { idt: idtAbaixo, nre: String(nreAbaixo).padStart(16, '0'), numero: '' });
  }
  for (const t of dentro) {
    const anterior = ordenados.filter((e) => e.criadoEm <= t.inicio).at(-1)!;
    let idt = anterior.idt + 1;
    while (idts.has(idt)) idt += 1;
    let nre = Number(anterior.nre) + 1;
    while (nres.has(nre)) nre += 1;
    idts.add(idt);
    nres.add(nre);
    out.set(t.chave, { idt, nre: String(nre).padStart(16, '0'), numero: '' });
  }
  // NUPs from a range of its own (the seed's sequential numbers stay far below 900000).
  for (const t of [...planejados].sort((a, b) => a.inicio - b.inicio)) {
    const ano = new Date(t.inicio).getUTCFullYear();
    const k = `${t.origemNup}/${ano}`;
    const seq = (sequenciais.get(k) ?? 900_000) + 1;
    sequenciais.set(k, seq);
    out.get(t.chave)!.numero = nup(t.origemNup, seq, ano);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------

export interface ResumoOnboardingDemo {
  /** What was added to the seed's own counts. */
  orgaos: number;
  unidades: number;
  tramites: number;
  eventos: number;
  /** Onboardings written, per stage. */
  onboardings: Record<Etapa, number>;
  /** The test trâmites' events, for the seed to write with its own in one time-ordered pass. */
  eventosTramite: NovoEvento[];
}

/** Writes the onboarding demo data; called by seedDemoData in its transaction, after the trâmites. */
export async function seedOnboardingDemo(tx: Transaction, agora: Date): Promise<ResumoOnboardingDemo> {
  const agoraMs = agora.getTime();
  const rng = new Rng(SEED);

  // ---- read what the seed wrote (3 statements)
  const catalogo = (await tx.select().from(requisitosMinimos).orderBy(requisitosMinimos.ordem)) as RequisitoCatalogo[];
  // Each unit with its homologação configuration (the seed's agencies keep the same in both environments).
  const todas = (
    await tx
      .select({ e: estruturas, c: configuracoesUnidade })
      .from(estruturas)
      .leftJoin(
        configuracoesUnidade,
        and(eq(configuracoesUnidade.estruturaId, estruturas.id), eq(configuracoesUnidade.ambiente, 'HOMOLOGACAO')),
      )
  ).map(({ e, c }) => ({ ...e, ...configuracaoDaLinha(c) }));
  const existentesRows = await tx
    .select({
      id: tramites.id,
      idt: tramites.idt,
      ambiente: tramites.ambiente,
      nre: tramites.nre,
      situacao: tramites.situacao,
      descricao: tramites.descricao,
      criadoEm: tramites.criadoEm,
      situacaoAlteradaEm: tramites.situacaoAlteradaEm,
      remetenteUnidadeId: tramites.remetenteUnidadeId,
      remetenteOrgaoId: tramites.remetenteOrgaoId,
      destinatarioUnidadeId: tramites.destinatarioUnidadeId,
      destinatarioOrgaoId: tramites.destinatarioOrgaoId,
    })
    .from(tramites);

  const raizes = todas.filter((e) => e.paiId === null);
  const siglaDoOrgao = new Map(raizes.map((r) => [r.id, r.sigla]));
  const disisRow = todas.find(
    (e) => e.repositorioId === DEMO_UNIDADE_TESTES_PRODUCAO.repositorio && e.numeroIdentificacao === DEMO_UNIDADE_TESTES_PRODUCAO.estrutura,
  );
  if (!disisRow?.orgaoId) throw new Error('onboarding demo: the production test unit (DISIS) is not in the seed');
  const siglaDisis = siglaDoOrgao.get(disisRow.orgaoId)!;

  const agencias = new Map<string, Agencia>();
  for (const raiz of raizes) {
    const pessoas = AGENCIAS_DO_SEED[raiz.sigla];
    if (!pessoas) continue;
    const unidades = todas.filter((e) => e.orgaoId === raiz.id && e.paiId !== null);
    const protocolo = unidades.find((x) => x.centralizadora) ?? unidades.find((x) => x.habilitadaEnvio && x.habilitadaRecebimento);
    if (!protocolo) continue;
    agencias.set(raiz.sigla, {
      sigla: raiz.sigla,
      nome: raiz.nome,
      ...pessoas,
      gestores: GESTORES_DO_SEED[raiz.sigla]!,
      id: raiz.id,
      protocolo: `e:${protocolo.id}`,
      envio: unidades.some((x) => x.habilitadaEnvio),
      recebimento: unidades.some((x) => x.habilitadaRecebimento),
      registradoEm: raiz.criadaEm.getTime(),
      unidadesEm: Math.max(raiz.criadaEm.getTime(), ...unidades.map((x) => x.criadaEm.getTime())),
    });
  }
  // Called on a fresh seed only (seedDemoData's own guard): the agencies added here are not there yet.
  const novas = DEMO_ORGAOS_ONBOARDING;
  for (const o of novas) {
    const todasDefs = (defs: UnidadeDef[]): UnidadeDef[] => defs.flatMap((d) => [d, ...todasDefs(d.filhas ?? [])]);
    const defs = todasDefs(o.unidades);
    const central = defs.find((d) => d.central)!;
    agencias.set(o.sigla, {
      sigla: o.sigla,
      nome: o.nome,
      gestor: o.gestor,
      gestores: [o.gestor],
      spe: o.spe,
      nup: o.nup,
      id: null,
      protocolo: `n:${o.sigla}/${central.sigla}`,
      envio: defs.some((d) => d.hab === 'E' || d.hab === 'ER'),
      recebimento: defs.some((d) => d.hab === 'R' || d.hab === 'ER'),
      registradoEm: 0, // set by the script
      unidadesEm: 0,
    });
  }

  const existentes: TramiteConcluido[] = existentesRows
    .filter((t) => t.situacao === 6 || t.situacao === 9)
    .map((t) => ({
      chave: `e:${t.id}`,
      ambiente: t.ambiente,
      situacao: t.situacao as 6 | 9,
      em: t.situacaoAlteradaEm.getTime(),
      descricao: t.descricao,
      remetente: { orgao: siglaDoOrgao.get(t.remetenteOrgaoId)!, unidade: `e:${t.remetenteUnidadeId}` },
      destinatario: { orgao: siglaDoOrgao.get(t.destinatarioOrgaoId)!, unidade: `e:${t.destinatarioUnidadeId}` },
    }));

  // ---- plan and simulate (pure)
  const p: Planejamento = {
    rng,
    agora: agoraMs,
    catalogo,
    agencias,
    disis: { orgao: siglaDisis, unidade: `e:${disisRow.id}`, spe: AGENCIAS_DO_SEED[siglaDisis]?.spe ?? PLATAFORMA },
    existentes,
    acoes: [],
    planejados: [],
  };
  planejarRoteiros(p);
  const resultado = simular(p);

  // ---- the agencies added here (4 statements: roots, their orgaoId, two levels of units)
  const idDaUnidade = new Map<ChaveUnidade, number>();
  const idDoOrgao = new Map<string, number>();
  let unidadesNovas = 0;
  const configuradas: Array<{ orgao: string; id: number; def: UnidadeDef }> = [];
  for (const ag of agencias.values()) if (ag.id !== null) idDoOrgao.set(ag.sigla, ag.id);
  for (const e of todas) idDaUnidade.set(`e:${e.id}`, e.id);
  if (novas.length > 0) {
    // Units: with the approval, or half an hour after the request for agencies not approved yet.
    const base = (sigla: string) => {
      const ag = agencias.get(sigla)!;
      return ag.unidadesEm || ag.registradoEm + 30 * MINUTO;
    };
    const usados = new Set(todas.map((e) => `${e.repositorioId}:${e.numeroIdentificacao}`));
    const proximo = new Map<number, number>();
    const numeroNovo = (repositorio: number) => {
      let n = proximo.get(repositorio) ?? 900_000;
      do n += 1;
      while (usados.has(`${repositorio}:${n}`));
      proximo.set(repositorio, n);
      usados.add(`${repositorio}:${n}`);
      return n;
    };
    const raizesNovas = await tx
      .insert(estruturas)
      .values(
        novas.map((o) => ({
          repositorioId: o.repositorio,
          numeroIdentificacao: o.numero,
          sigla: o.sigla,
          nome: o.nome,
          criadaEm: new Date(agencias.get(o.sigla)!.registradoEm),
        })),
      )
      .returning({ id: estruturas.id, sigla: estruturas.sigla });
    for (const r of raizesNovas) idDoOrgao.set(r.sigla, r.id);
    await tx
      .update(estruturas)
      .set({ orgaoId: sql`${estruturas.id}` })
      .where(
        inArray(
          estruturas.id,
          raizesNovas.map((r) => r.id),
        ),
      );
    let pais = novas.map((o) => ({ orgao: o, def: null as UnidadeDef | null, filhas: o.unidades, id: idDoOrgao.get(o.sigla)! }));
    for (let nivel = 1; pais.some((x) => x.filhas.length > 0); nivel++) {
      const doNivel = pais.flatMap((pai) => pai.filhas.map((def) => ({ orgao: pai.orgao, def, paiId: pai.id })));
      const inseridas = await tx
        .insert(estruturas)
        .values(
          doNivel.map((x, i) => ({
            repositorioId: x.orgao.repositorio,
            numeroIdentificacao: numeroNovo(x.orgao.repositorio),
            sigla: x.def.sigla,
            nome: x.def.nome,
            paiId: x.paiId,
            orgaoId: idDoOrgao.get(x.orgao.sigla)!,
            criadaEm: new Date(base(x.orgao.sigla) + (nivel - 1) * HORA + i * MINUTO),
          })),
        )
        .returning({ id: estruturas.id });
      unidadesNovas += inseridas.length;
      for (const [i, x] of doNivel.entries()) {
        idDaUnidade.set(`n:${x.orgao.sigla}/${x.def.sigla}`, inseridas[i]!.id);
        configuradas.push({ orgao: x.orgao.sigla, id: inseridas[i]!.id, def: x.def });
      }
      pais = doNivel.map((x, i) => ({ orgao: x.orgao, def: x.def, filhas: x.def.filhas ?? [], id: inseridas[i]!.id }));
    }
  }

  // ---- planned test trâmites (1 statement); their events go back to the seed, which writes the log
  const idDoTramite = new Map<ChaveTramite, number>(existentesRows.map((t) => [`e:${t.id}`, t.id]));
  const eventosTramite: NovoEvento[] = [];
  if (p.planejados.length > 0) {
    const ids = identificadores(
      p.planejados,
      existentesRows.map((t) => ({ idt: t.idt, nre: t.nre, criadoEm: t.criadoEm.getTime() })),
    );
    // Homologação's IDTs in a range of their own, below its sequence (tables.ts `IDT_SEQUENCIA`).
    const idtDoPlanejado = (t: TramitePlano) => ids.get(t.chave)!.idt + (t.ambiente === 'HOMOLOGACAO' ? IDT_DEMO_HOMOLOGACAO : 0);
    const inseridos = await tx
      .insert(tramites)
      .values(
        p.planejados.map((t) => ({
          idt: idtDoPlanejado(t),
          ambiente: t.ambiente,
          nre: ids.get(t.chave)!.nre,
          numeroProcesso: ids.get(t.chave)!.numero,
          tipo: 'PROCESSO' as const,
          descricao: t.descricao,
          remetenteUnidadeId: idDaUnidade.get(t.remetente.unidade)!,
          remetenteOrgaoId: idDoOrgao.get(t.remetente.orgao)!,
          destinatarioUnidadeId: idDaUnidade.get(t.destinatario.unidade)!,
          destinatarioOrgaoId: idDoOrgao.get(t.destinatario.orgao)!,
          situacao: t.situacao,
          versao: t.eventos.length,
          criadoEm: new Date(t.inicio),
          atualizadoEm: new Date(t.em),
          situacaoAlteradaEm: new Date(t.em),
        })),
      )
      .returning({ id: tramites.id, idt: tramites.idt });
    const porIdt = new Map(inseridos.map((r) => [r.idt, r.id]));
    for (const t of p.planejados) idDoTramite.set(t.chave, porIdt.get(idtDoPlanejado(t))!);
    // Not written here: the seed writes both plans' events together, once, in time order (the log is append-only).
    eventosTramite.push(
      ...p.planejados
        .flatMap((t) => t.eventos.map((e) => ({ t, e })))
        .sort((a, b) => a.e.em - b.e.em)
        .map(({ t, e }) => ({
          tramiteId: idDoTramite.get(t.chave)!,
          deSituacao: e.de,
          paraSituacao: e.para,
          atorSujeito: e.sujeito,
          atorOrgaoId: idDoOrgao.get(e.orgao)!,
          atorLado: e.lado,
          atorPenAdmin: false,
          motivo: e.motivo,
          justificativa: e.justificativa,
          ocorridoEm: new Date(e.em),
        })),
    );
  }

  // ---- the added agencies' unit configuration (1 statement), in each environment their stage keeps one in: as the
  // gestores set it in homologação once approved, and as production access copied it into produção
  const etapaFinal = new Map(resultado.onboardings.map((o) => [o.orgao, o.etapa]));
  const linhasDeConfiguracao = configuradas.flatMap((u) =>
    (['HOMOLOGACAO', 'PRODUCAO'] as const)
      .filter((ambiente) => ETAPAS_DA_CONFIGURACAO[ambiente].includes(etapaFinal.get(u.orgao)!))
      .map((ambiente) => ({
        estruturaId: u.id,
        ambiente,
        habilitadaEnvio: u.def.hab === 'ER' || u.def.hab === 'E',
        habilitadaRecebimento: u.def.hab === 'ER' || u.def.hab === 'R',
        centralizadora: u.def.central === true,
      })),
  );
  if (linhasDeConfiguracao.length > 0) await tx.insert(configuracoesUnidade).values(linhasDeConfiguracao);

  // ---- onboardings, checklists and the onboarding log in time order (3 statements)
  if (resultado.onboardings.length > 0) {
    await tx.insert(onboardings).values(
      resultado.onboardings.map((o) => ({
        orgaoId: idDoOrgao.get(o.orgao)!,
        etapa: o.etapa,
        versao: o.versao,
        iniciadoEm: new Date(o.iniciadoEm),
        atualizadoEm: new Date(o.atualizadoEm),
        implantadoEm: o.implantadoEm === null ? null : new Date(o.implantadoEm),
        producaoConfirmadaEm: o.producaoConfirmadaEm === null ? null : new Date(o.producaoConfirmadaEm),
        producaoConfirmadaPor: o.producaoConfirmadaEm === null ? null : p.agencias.get(o.orgao)!.gestor,
      })),
    );
  }
  if (resultado.requisitos.length > 0) {
    await tx.insert(requisitosOrgao).values(
      resultado.requisitos.map((r) => ({
        orgaoId: idDoOrgao.get(r.orgao)!,
        ambiente: r.ambiente,
        codigo: r.codigo,
        situacao: r.situacao,
        evidenciaTramiteId: r.evidencia === null ? null : idDoTramite.get(r.evidencia)!,
        nota: r.nota,
        registradoPor: r.registradoPor,
        registradoEm: new Date(r.registradoEm),
        confirmadoPor: r.confirmadoPor,
        confirmadoEm: r.confirmadoEm === null ? null : new Date(r.confirmadoEm),
      })),
    );
  }
  // The people behind the gestores' accounts, numbered in the agencies' order (deterministic).
  const pessoas = new Map<string, { nome: string; cpf: string; email: string }>();
  for (const ag of agencias.values()) for (const g of ag.gestores) pessoas.set(g, pessoaDoGestor(g, ag.spe, pessoas.size));
  if (resultado.gestores.length > 0) {
    await tx.insert(gestoresProtocolo).values(
      resultado.gestores.map((g) => ({
        orgaoId: idDoOrgao.get(g.orgao)!,
        ambiente: g.ambiente,
        ...pessoas.get(g.sujeito)!,
        registradoPor: g.registradoPor,
        registradoEm: new Date(g.registradoEm),
      })),
    );
  }
  if (resultado.eventos.length > 0) {
    await tx.insert(onboardingEventos).values(
      resultado.eventos.map((e) => ({
        orgaoId: idDoOrgao.get(e.orgao)!,
        tipo: e.tipo,
        deEtapa: e.deEtapa,
        paraEtapa: e.paraEtapa,
        ambiente: e.ambiente,
        requisito: e.requisito,
        situacaoRequisito: e.situacaoRequisito,
        evidenciaTramiteId: e.evidencia === null ? null : idDoTramite.get(e.evidencia)!,
        gestorCpf: e.gestor ? pessoas.get(e.gestor)!.cpf : null,
        atorSujeito: e.ator,
        motivo: e.motivo,
        ocorridoEm: new Date(e.em),
      })),
    );
  }

  const porEtapa = Object.fromEntries(ETAPAS.map((e) => [e, 0])) as Record<Etapa, number>;
  for (const o of resultado.onboardings) porEtapa[o.etapa] += 1;
  return {
    orgaos: novas.length,
    unidades: unidadesNovas,
    tramites: p.planejados.length,
    eventos: p.planejados.reduce((n, t) => n + t.eventos.length, 0),
    onboardings: porEtapa,
    eventosTramite,
  };
}
