// Digital components with real bytes: generated files, their declaration for iniciarTramite, and the
// upload over HTTP with fetch + FormData (the multipart client every browser and Node has).
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { DEMO_ACCOUNTS } from '../../src/demo/seed.js';
import { SITUACAO_INFO } from '../../src/tramites/regras.js';
import type { TestGateway } from './gateway.js';
import { habilitada } from './configuracao.js';

export interface Arquivo {
  nome: string;
  bytes: Buffer;
  hash: string;
  mimeType: string;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

export function arquivo(
  nome: string,
  bytes: Buffer = randomBytes(1000 + Math.floor(Math.random() * 5000)),
  mimeType = 'application/pdf',
): Arquivo {
  return { nome, bytes, hash: sha256(bytes), mimeType };
}

/** One document per file list, in order, each component declared with its real hash and size. */
export function documentosDe(...porDocumento: Arquivo[][]) {
  return porDocumento.map((arquivos, i) => ({
    ordem: i + 1,
    especie: 63,
    descricao: `Documento ${i + 1}`,
    nivelDeSigilo: 'PUBLICO',
    componentes: arquivos.map((a, j) => ({
      ordem: j + 1,
      nome: a.nome,
      hash: a.hash,
      tamanhoEmBytes: a.bytes.length,
      mimeType: a.mimeType,
      tipoDeConteudo: 'out',
    })),
  }));
}

export const PROCESSO_PUBLICO = { nivelDeSigilo: 'PUBLICO', processoDeNegocio: 'Acesso à informação', interessados: ['Maria da Silva'] };

/** The gateway's origin (its URL without /graphql). */
export const origem = (gw: TestGateway) => gw.gateway.url.replace(/\/graphql$/, '');

/** POST /tramites/<idt>/componentes with one file part per component, each named by its hash. */
export async function enviarComponentes(
  gw: TestGateway,
  token: string,
  idt: string | number,
  arquivos: Array<Pick<Arquivo, 'hash' | 'nome' | 'mimeType'> & { bytes: Blob | Buffer }>,
) {
  const form = new FormData();
  for (const a of arquivos)
    form.append(a.hash, a.bytes instanceof Blob ? a.bytes : new Blob([new Uint8Array(a.bytes)], { type: a.mimeType }), a.nome);
  const res = await fetch(`${origem(gw)}/tramites/${idt}/componentes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

export interface Lados {
  rem: { token: string; unidade: number; orgao: number };
  dest: { token: string; unidade: number; orgao: number };
  outro: { token: string };
}

/** Three agencies with a demo SPE (protocol steps are the SPE's): one with a unit enabled to send, one enabled to receive, a third. */
export async function tresOrgaos(gw: TestGateway): Promise<Lados> {
  const encontrados: Array<{ sujeito: string; orgao: number; envio?: number; recebimento?: number }> = [];
  for (const conta of DEMO_ACCOUNTS) {
    if (!conta.orgao || !conta.papeis.includes('SPE')) continue;
    const [raiz] = await gw.database.rows<{ id: number }>(
      'select id::int as id from estruturas where repositorio_id = $1 and numero_identificacao = $2 and pai_id is null',
      [conta.orgao.repositorio, conta.orgao.estrutura],
    );
    if (!raiz || encontrados.some((e) => e.orgao === raiz.id)) continue;
    const [envio] = await gw.database.rows<{ id: number }>(
      `select id::int as id from estruturas where orgao_id = $1 and ${habilitada('estruturas', 'envio')} order by id limit 1`,
      [raiz.id],
    );
    const [recebimento] = await gw.database.rows<{ id: number }>(
      `select id::int as id from estruturas where orgao_id = $1 and ${habilitada('estruturas', 'recebimento')} order by id limit 1`,
      [raiz.id],
    );
    encontrados.push({ sujeito: conta.sujeito, orgao: raiz.id, envio: envio?.id, recebimento: recebimento?.id });
  }
  const rem = encontrados.find((e) => e.envio);
  const dest = encontrados.find((e) => e !== rem && e.recebimento);
  const outro = encontrados.find((e) => e !== rem && e !== dest);
  if (!rem || !dest || !outro) throw new Error('the demo seed needs three agencies with SPE accounts and enabled units');
  return {
    rem: { token: await gw.tokenOf(rem.sujeito), unidade: rem.envio!, orgao: rem.orgao },
    dest: { token: await gw.tokenOf(dest.sujeito), unidade: dest.recebimento!, orgao: dest.orgao },
    outro: { token: await gw.tokenOf(outro.sujeito) },
  };
}

/** The recibo de conclusão's text as the connection module writes it (docs/domain.md §4.4), from what the schema shows. */
export async function textoDoReciboDeConclusao(
  gw: Pick<TestGateway, 'ok'>,
  id: string,
  token: string,
  /** Read through `tramite(id, ambiente)`; by default through `node(id)`. */
  ambiente?: 'PRODUCAO' | 'HOMOLOGACAO',
): Promise<string> {
  const campos = 'idt nre historico { situacao ocorridoEm } documentos { componentes { hash } }';
  const node = ambiente
    ? (await gw.ok(`query($id: ID!, $a: Ambiente) { t: tramite(id: $id, ambiente: $a) { ${campos} } }`, { id, a: ambiente }, token)).t
    : (await gw.ok(`query($id: ID!) { t: node(id: $id) { ... on Tramite { ${campos} } } }`, { id }, token)).t;
  const chegouA4 = node.historico.findLast((h: { situacao: string }) => h.situacao === SITUACAO_INFO[4].chave).ocorridoEm;
  const data = `${new Date(chegouA4).toISOString().slice(0, 19)}.000Z`;
  const hashes = [...new Set<string>(node.documentos.flatMap((d: { componentes: { hash: string }[] }) => d.componentes.map((c) => c.hash)))]
    .sort()
    .map((h) => `<hashDoComponenteDigital>${h}</hashDoComponenteDigital>`)
    .join('');
  return `<recibo><IDT>${node.idt}</IDT><NRE>${node.nre}</NRE><dataDeRecebimento>${data}</dataDeRecebimento>${hashes}</recibo>`;
}

/** What the child process runs: fetch + FormData of a file-backed Blob (argv: url, token, part name, file, type). */
const CLIENTE_DE_ENVIO = `const [url, token, nome, caminho, tipo] = process.argv.slice(1);
(async () => {
  const form = new FormData();
  form.append(nome, await require('node:fs').openAsBlob(caminho, { type: tipo }), require('node:path').basename(caminho));
  const res = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer ' + token }, body: form });
  process.stdout.write(await res.text());
})();`;

/**
 * Uploads a file from another Node process (fetch + FormData, streamed from disk), for measuring the
 * gateway's memory alone: in this process fetch's FormData body holds the Blob's bytes (~+230 MB of
 * external memory for 200 MB here), the client's memory, not the gateway's. Returns the answer's JSON.
 */
export async function enviarEmOutroProcesso(url: string, token: string, nome: string, caminho: string, tipo: string) {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', CLIENTE_DE_ENVIO, url, token, nome, caminho, tipo], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Record<string, any>;
}
