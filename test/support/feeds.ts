// Helpers of the live-feed tests (feeds.test.ts, feeds-instances.test.ts): graphql-ws connections and
// subscriptions that record what they get, a scenario of agencies and units read with SQL, a mutation driver.
import type { Client } from 'graphql-ws';
import { DEMO_ACCOUNTS, type DemoAccount } from '../../src/demo/seed.js';
import { mintToken } from '../../src/identity/tokens.js';
import { PASSO_POR_ACAO, SITUACAO_INFO, type Acao, type Situacao } from '../../src/tramites/regras.js';
import { TEST_JWT_SECRET } from './gateway.js';
import { gid } from './ids.js';
import { CONTEUDO_DE_DEMO_GQL, passoComConteudo, type SelecaoDoPasso } from './tramites.js';
import { waitUntil } from './wait.js';
import { wsClient } from './ws.js';
import { habilitada } from './configuracao.js';

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

export const chave = (s: Situacao) => SITUACAO_INFO[s].chave;
export const CAMPOS_EVENTO = 'cursor situacaoAnterior situacao lado ator ocorridoEm tramite { idt situacao }';
export const SUB_TRAMITES = `subscription($orgao: ID, $papel: PapelNoTramite, $situacoes: [SituacaoTramite!], $aPartirDe: String) {
  e: eventosTramites(orgao: $orgao, papel: $papel, situacoes: $situacoes, aPartirDe: $aPartirDe) { ${CAMPOS_EVENTO} }
}`;
export const SUB_TRAMITE = `subscription($tramite: ID!, $aPartirDe: String) {
  e: eventosTramite(tramite: $tramite, aPartirDe: $aPartirDe) { ${CAMPOS_EVENTO} }
}`;

export interface EventoRecebido {
  cursor: string;
  situacaoAnterior: string | null;
  situacao: string;
  lado: string;
  ator: string;
  ocorridoEm: string;
  tramite: { idt: string; situacao: string };
}

export interface ErroGql {
  message: string;
  extensions?: Record<string, unknown>;
}

/** One graphql-ws connection: no retries, records its close code. */
export class Conexao {
  readonly client: Client;
  fechamento: { code: number; reason: string } | null = null;

  constructor(httpUrl: string, authorization: string | null) {
    this.client = wsClient(httpUrl, authorization, {
      closed: (e) => {
        const evento = e as { code?: number; reason?: unknown };
        this.fechamento ??= { code: evento.code ?? -1, reason: String(evento.reason ?? '') };
      },
    });
  }

  assinar(query: string, variables: Record<string, unknown> = {}): Assinatura {
    return new Assinatura(this, query, variables);
  }

  async encerrar(): Promise<void> {
    await this.client.dispose();
  }
}

/** One subscription: what it received, its errors, whether it completed. */
export class Assinatura {
  readonly eventos: EventoRecebido[] = [];
  readonly erros: ErroGql[] = [];
  concluida = false;
  private readonly cancelar: () => void;

  constructor(
    readonly conexao: Conexao,
    query: string,
    variables: Record<string, unknown>,
  ) {
    this.cancelar = conexao.client.subscribe<{ e: EventoRecebido }>(
      { query, variables },
      {
        next: (r) => {
          if (r.errors) this.erros.push(...(r.errors as ErroGql[]));
          if (r.data?.e) this.eventos.push(r.data.e);
        },
        error: (e) => {
          if (Array.isArray(e)) this.erros.push(...(e as ErroGql[]));
          else if (e && typeof e === 'object' && 'code' in e) this.erros.push({ message: `closed ${(e as { code: number }).code}` });
          else this.erros.push({ message: String((e as Error)?.message ?? e) });
          this.concluida = true;
        },
        complete: () => {
          this.concluida = true;
        },
      },
    );
  }

  get cursores(): string[] {
    return this.eventos.map((e) => e.cursor);
  }

  /** Waits until `n` events arrived (fails on an error or after `ms`). */
  async receber(n: number, ms = 10_000): Promise<EventoRecebido[]> {
    await waitUntil(
      `${n} events (got ${this.eventos.length}, errors ${JSON.stringify(this.erros)})`,
      () => {
        if (this.erros.length > 0) throw new Error(`subscription failed: ${JSON.stringify(this.erros)}`);
        return this.eventos.length >= n;
      },
      ms,
    );
    return this.eventos.slice(0, n);
  }

  parar(): void {
    this.cancelar();
  }
}

/** Opens a connection with one subscription. */
export function assinar(httpUrl: string, token: string | null, query: string, variables: Record<string, unknown> = {}): Assinatura {
  return new Conexao(httpUrl, token ? `Bearer ${token}` : null).assinar(query, variables);
}

export interface Unidade {
  id: number;
}
export interface Agencia {
  id: number;
  conta: DemoAccount;
  token: string;
  envio: Unidade[];
  recebimento: Unidade[];
}
export interface Cenario {
  rem: Agencia;
  dest: Agencia;
  /** An agency that is neither side of the scenario's trâmites. */
  outro: Agencia;
  admin: { conta: DemoAccount; token: string };
}

export type Rows = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

/** Three agencies with demo SPE accounts (the credential that takes the protocol steps) and units enabled to send / receive, from SQL. */
export async function montarCenario(rows: Rows, tokenDe: (conta: DemoAccount) => Promise<string>): Promise<Cenario> {
  const agencias: Agencia[] = [];
  for (const conta of DEMO_ACCOUNTS) {
    if (!conta.orgao || !conta.papeis.includes('SPE')) continue;
    const [raiz] = await rows<{ id: number }>(
      'select id::int as id from estruturas where repositorio_id = $1 and numero_identificacao = $2 and pai_id is null',
      [conta.orgao.repositorio, conta.orgao.estrutura],
    );
    if (!raiz || agencias.some((a) => a.id === raiz.id)) continue;
    const unidades = (where: string) =>
      rows<Unidade>(`select id::int as id from estruturas where orgao_id = $1 and pai_id is not null and ${where} order by id`, [raiz.id]);
    agencias.push({
      id: raiz.id,
      conta,
      token: await tokenDe(conta),
      envio: await unidades(habilitada('estruturas', 'envio')),
      recebimento: await unidades(habilitada('estruturas', 'recebimento')),
    });
  }
  const rem = agencias.find((a) => a.envio.length > 0);
  const dest = agencias.find((a) => a !== rem && a.recebimento.length > 0);
  const outro = agencias.find((a) => a !== rem && a !== dest && a.envio.length > 0 && a.recebimento.length > 0);
  const admin = DEMO_ACCOUNTS.find((a) => a.papeis.includes('PEN_ADMIN'));
  if (!rem || !dest || !outro || !admin)
    throw new Error('the demo seed needs three agencies with units enabled to send and receive, and a PEN_ADMIN');
  return { rem, dest, outro, admin: { conta: admin, token: await tokenDe(admin) } };
}

export const tokenDeConta = (conta: DemoAccount, expiresIn?: string | number) =>
  mintToken(TEST_JWT_SECRET, { sub: conta.sujeito, orgao: conta.orgao, roles: conta.papeis, spe: conta.spe }, { expiresIn });

export type AcaoPasso = Exclude<Acao, 'INICIAR' | 'CANCELAR_AUTOMATICAMENTE'>;
const SELECAO: SelecaoDoPasso = {
  sucesso: 'tramite { id idt situacao } evento { cursor situacaoAnterior situacao lado ator ocorridoEm }',
  erro: 'codigo mensagem',
};
export const RESULTADO = `__typename ... on TransicaoRealizada { repetida ${SELECAO.sucesso} } ... on Erro { ${SELECAO.erro} }`;

export interface Realizada {
  __typename: string;
  repetida?: boolean;
  tramite: { id: string; idt: string; situacao: string };
  evento: Omit<EventoRecebido, 'tramite'>;
}

export async function postGql(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as { data?: Record<string, any>; errors?: ErroGql[] }) };
}

/** The mutations that drive a trâmite, over HTTP through one gateway. */
export function motor(url: () => string, c: () => Cenario, prefixo: string) {
  let processo = 0;
  const tokenDoLado = (lado: string) => (lado === 'REMETENTE' ? c().rem.token : c().dest.token);
  const conferir = (res: { status?: number; data?: Record<string, any>; errors?: unknown }): Realizada => {
    if (res.errors || (res.status ?? 200) !== 200 || res.data?.r?.__typename !== 'TransicaoRealizada') {
      throw new Error(`mutation failed: ${res.status ?? ''} ${JSON.stringify(res.errors ?? res.data)}`);
    }
    return res.data.r as Realizada;
  };
  return {
    async iniciar(extra: Record<string, unknown> = {}, token = c().rem.token): Promise<Realizada> {
      processo += 1;
      return conferir(
        await postGql(
          url(),
          `mutation($input: IniciarTramiteInput!) { r: iniciarTramite(input: $input) { ${RESULTADO} } }`,
          {
            input: {
              tipo: 'PROCESSO',
              numeroProcesso: `${prefixo}-${Date.now()}-${processo}`,
              unidadeRemetente: gid('UnidadeAdministrativa', c().rem.envio[0]!.id),
              unidadeDestinataria: gid('UnidadeAdministrativa', c().dest.recebimento[0]!.id),
              ...CONTEUDO_DE_DEMO_GQL,
              ...extra,
            },
          },
          token,
        ),
      );
    },
    /** One step as its side's SPE takes it (the upload for 1 → 2, the hashes for 3 → 4, the signed receipt for 4 → 5). */
    async passo(acao: AcaoPasso, tramiteGid: string, extra: Record<string, unknown> = {}): Promise<Realizada> {
      return conferir(await passoComConteudo(url(), acao, tramiteGid, tokenDoLado(PASSO_POR_ACAO[acao].lado), SELECAO, extra));
    },
  };
}

/** The success path after INICIAR, in order. */
export const CAMINHO_SUCESSO: AcaoPasso[] = [
  'ENVIAR_COMPONENTES_DIGITAIS',
  'RECEBER_METADADOS',
  'RECEBER_COMPONENTES_DIGITAIS',
  'ENVIAR_RECIBO_CONCLUSAO',
  'RECEBER_RECIBO_CONCLUSAO',
];

/** Seqs in the log after `depoisDe` (optionally of one trâmite), in order, as cursors. */
export async function seqsNoLog(rows: Rows, depoisDe: number, tramiteId?: number): Promise<string[]> {
  const linhas = await rows<{ seq: string }>(
    `select e.seq::text as seq from tramite_eventos e where e.tipo = 'SITUACAO' and e.seq > $1 ${tramiteId != null ? 'and e.tramite_id = $2' : ''} order by e.seq`,
    tramiteId != null ? [depoisDe, tramiteId] : [depoisDe],
  );
  return linhas.map((l) => l.seq);
}

export async function maxSeq(rows: Rows): Promise<number> {
  const [linha] = await rows<{ seq: string | null }>('select max(seq)::text as seq from tramite_eventos');
  return Number(linha?.seq ?? 0);
}

export const semDuplicatas = (xs: string[]) => new Set(xs).size === xs.length;

// ---------------------------------------------------------------------------------------------------
// Both backends
// ---------------------------------------------------------------------------------------------------
