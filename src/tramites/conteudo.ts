/**
 * What a trâmite carries (docs/domain.md §4.1-4.2), as pure rules: the shape of the process
 * metadata and of its documents and digital components, and the sigilo rules. No I/O here: the
 * service checks the reference codes against the database after this validation.
 */
import { z } from 'zod';
import { DadosInvalidos } from '../kernel/erros.js';

export const NIVEIS_DE_SIGILO = { 1: 'PUBLICO', 2: 'RESTRITO', 3: 'SIGILOSO' } as const;
export type NivelDeSigilo = keyof typeof NIVEIS_DE_SIGILO;
export const TIPOS_DE_CONTEUDO = ['txt', 'img', 'aud', 'vid', 'out'] as const;

/** The connection module's message for a sigiloso process or document (it will not send one). */
export const MENSAGEM_SIGILOSO = 'Não é possível tramitar um processo com informações sigilosas.';

/** SHA-256 in base64, as the platform writes `hash.conteudo`: 43 characters and one '='. */
const hashSha256 = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'SHA-256 em base64 (44 caracteres)');
const mimeType = z.string().regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, 'tipo MIME inválido (ex.: application/pdf)');
const texto = (max: number) => z.string().trim().min(1, 'obrigatório').max(max, `no máximo ${max} caracteres`);
/** Optional text up to `max` characters, trimmed; empty answers null. */
export const textoOpcional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `no máximo ${max} caracteres`)
    .nullish()
    .transform((v) => v || null);

const sigilo = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'nível de sigilo: 1 (público), 2 (restrito) ou 3 (sigiloso)' });

/** Sigiloso cannot travel; restrito needs a hipótese legal; público carries none. */
function conferirSigilo(valor: { nivelDeSigilo: number; hipoteseLegal?: number | null }, ctx: z.RefinementCtx) {
  if (valor.nivelDeSigilo === 3) ctx.addIssue({ code: 'custom', path: ['nivelDeSigilo'], message: MENSAGEM_SIGILOSO });
  if (valor.nivelDeSigilo === 2 && valor.hipoteseLegal == null)
    ctx.addIssue({ code: 'custom', path: ['hipoteseLegal'], message: 'obrigatória para informação restrita' });
  if (valor.nivelDeSigilo === 1 && valor.hipoteseLegal != null)
    ctx.addIssue({ code: 'custom', path: ['hipoteseLegal'], message: 'só se aplica a informação restrita' });
}

export const componenteSchema = z.object({
  ordem: z.number().int().min(1, 'a partir de 1'),
  nome: texto(255),
  hash: hashSha256,
  tamanhoEmBytes: z.number().int('número inteiro de bytes').min(0, 'não negativo'),
  mimeType,
  tipoDeConteudo: z.enum(TIPOS_DE_CONTEUDO, { error: 'txt, img, aud, vid ou out' }),
});

export const documentoSchema = z
  .object({
    ordem: z.number().int().min(1, 'a partir de 1'),
    especie: z.number().int(),
    descricao: textoOpcional(100),
    nivelDeSigilo: sigilo,
    hipoteseLegal: z.number().int().nullish(),
    produtor: textoOpcional(150),
    dataHoraDeProducao: z.date().nullish(),
    componentes: z.array(componenteSchema).min(1, 'ao menos um componente digital'),
  })
  .superRefine(conferirSigilo)
  .superRefine((d, ctx) => conferirOrdens(d.componentes, ctx, 'componentes'));

export const processoSchema = z
  .object({
    nivelDeSigilo: sigilo,
    hipoteseLegal: z.number().int().nullish(),
    processoDeNegocio: textoOpcional(100),
    produtor: textoOpcional(150),
    interessados: z
      .array(texto(150))
      .max(100, 'no máximo 100 interessados')
      .nullish()
      .transform((v) => v ?? []),
    dataHoraDeProducao: z.date().nullish(),
    urgente: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
    motivoUrgencia: z.number().int().nullish(),
  })
  .superRefine(conferirSigilo)
  .superRefine((p, ctx) => {
    if (p.urgente && p.motivoUrgencia == null)
      ctx.addIssue({ code: 'custom', path: ['motivoUrgencia'], message: 'obrigatório quando urgente' });
    if (!p.urgente && p.motivoUrgencia != null) ctx.addIssue({ code: 'custom', path: ['motivoUrgencia'], message: 'só quando urgente' });
  });

export const documentosSchema = z
  .array(documentoSchema)
  .max(500, 'no máximo 500 documentos')
  .superRefine((docs, ctx) => conferirOrdens(docs, ctx, ''));

/** Orders are 1..n without gaps or repeats, as the connection module numbers them. */
function conferirOrdens(itens: readonly { ordem: number }[], ctx: z.RefinementCtx, campo: string) {
  const ordens = itens.map((i) => i.ordem).sort((a, b) => a - b);
  if (ordens.some((o, i) => o !== i + 1))
    ctx.addIssue({ code: 'custom', path: campo ? [campo] : [], message: 'ordens de 1 a n, sem repetição nem lacuna' });
}

export type ProcessoDeclarado = z.output<typeof processoSchema>;
export type DocumentoDeclarado = z.output<typeof documentoSchema>;
export type ComponenteDeclarado = z.output<typeof componenteSchema>;

/** Reference codes a declaration points at, to check against the lists in the database. */
export function codigosReferenciados(processo: ProcessoDeclarado, documentos: readonly DocumentoDeclarado[]) {
  const hipoteses = new Map<number, string>();
  if (processo.hipoteseLegal != null) hipoteses.set(processo.hipoteseLegal, 'processo.hipoteseLegal');
  const especies = new Map<number, string>();
  documentos.forEach((d, i) => {
    if (!especies.has(d.especie)) especies.set(d.especie, `documentos.${i}.especie`);
    if (d.hipoteseLegal != null && !hipoteses.has(d.hipoteseLegal)) hipoteses.set(d.hipoteseLegal, `documentos.${i}.hipoteseLegal`);
  });
  return { especies, hipoteses, motivoUrgencia: processo.motivoUrgencia ?? null };
}

/** Whether a viewer that is not one of the two sides may read a document's description. */
export const descricaoVisivelATerceiros = (nivelDeSigilo: number) => nivelDeSigilo === 1;

/** A hash the recipient computed over a downloaded component, named by document and component order. */
export interface HashCalculado {
  documento: number;
  componente: number;
  hash: string;
}

export interface ComponenteParaConferir {
  ordemDocumento: number;
  ordem: number;
  hash: string;
}

/**
 * Compares the recipient's hashes with the declared ones. Every declared component must be confirmed
 * once (and nothing else): otherwise DadosInvalidos. A differing hash names the component to refuse
 * for (motive 02): the first in document and component order.
 */
export function conferirHashes(declarados: readonly ComponenteParaConferir[], calculados: readonly HashCalculado[]) {
  const chave = (documento: number, componente: number) => `${documento}/${componente}`;
  const recebidos = new Map(calculados.map((c) => [chave(c.documento, c.componente), c.hash]));
  const faltando = declarados.filter((d) => !recebidos.has(chave(d.ordemDocumento, d.ordem)));
  const desconhecidos = calculados.filter((c) => !declarados.some((d) => d.ordemDocumento === c.documento && d.ordem === c.componente));
  if (faltando.length > 0 || desconhecidos.length > 0 || recebidos.size !== calculados.length) {
    throw new DadosInvalidos([
      ...faltando.map((f) => ({ campo: 'hashes', mensagem: `falta o hash do componente ${f.ordem} do documento ${f.ordemDocumento}` })),
      ...desconhecidos.map((d) => ({ campo: 'hashes', mensagem: `o documento ${d.documento} não tem componente ${d.componente}` })),
      ...(recebidos.size !== calculados.length ? [{ campo: 'hashes', mensagem: 'um componente aparece mais de uma vez' }] : []),
    ]);
  }
  const divergente = [...declarados]
    .sort((a, b) => a.ordemDocumento - b.ordemDocumento || a.ordem - b.ordem)
    .find((d) => recebidos.get(chave(d.ordemDocumento, d.ordem)) !== d.hash);
  return { divergente: divergente ?? null };
}

/** The connection module's justification for motive 02 (ReceberComponenteDigitalRN.php). */
export const mensagemHashDivergente = (c: ComponenteParaConferir) =>
  `Hash do componente digital de ordem ${c.ordem} não confere com o valor informado pelo remetente.`;
